@testable import ObjectStore
import Testing

/// The small XML reader on S3-shaped documents, written out by hand.
@Suite struct XMLNodeTests {
    @Test func listBucketResult() throws {
        let document = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- a comment -->
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Name>b</Name><IsTruncated>true</IsTruncated>
              <Contents><Key> a &amp; b &lt;c&gt; &#233;&#x4E2D; </Key><Size>12</Size><ETag>&quot;abc&quot;</ETag></Contents>
              <Contents><Key><![CDATA[x<y>&z]]></Key><Size>0</Size><Owner/></Contents>
              <NextContinuationToken>tok/+=</NextContinuationToken>
            </ListBucketResult>
            """
        let root = try #require(XMLNode.parse(Array(document.utf8)))
        #expect(root.name == "ListBucketResult")
        #expect(root.value("IsTruncated") == "true")
        #expect(root.value("NextContinuationToken") == "tok/+=")
        #expect(root.all("Contents").map { $0.value("Key") } == [" a & b <c> é中 ", "x<y>&z"])
        #expect(root.all("Contents").map { $0.value("Size") } == ["12", "0"])
        #expect(root.all("Contents").first?.value("ETag") == "\"abc\"")
        #expect(root.all("Contents").last?.child("Owner") != nil)
    }

    @Test func malformedDocumentsGiveNil() {
        for text in ["<a><b></a>", "<a>", "<a>&bogus;</a>", "<a>&#xZZ;</a>", "<a><!-- unterminated", "</a>", "<>"] {
            #expect(XMLNode.parse(Array(text.utf8)) == nil, "\(text)")
        }
    }

    @Test func escape() {
        #expect(XMLNode.escape("a&b<c>\"d'") == "a&amp;b&lt;c&gt;&quot;d&apos;")
        #expect(XMLNode.parse(Array("<k>\(XMLNode.escape("a&b<c>\"d'"))</k>".utf8))?.text == "a&b<c>\"d'")
    }
}
