@testable import ObjectStore
import XCTest

/// The small XML reader on S3-shaped documents, written out by hand.
final class XMLNodeTests: XCTestCase {
    func testListBucketResult() throws {
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
        let root = try XCTUnwrap(XMLNode.parse(Array(document.utf8)))
        XCTAssertEqual(root.name, "ListBucketResult")
        XCTAssertEqual(root.value("IsTruncated"), "true")
        XCTAssertEqual(root.value("NextContinuationToken"), "tok/+=")
        XCTAssertEqual(root.all("Contents").map { $0.value("Key") }, [" a & b <c> é中 ", "x<y>&z"])
        XCTAssertEqual(root.all("Contents").map { $0.value("Size") }, ["12", "0"])
        XCTAssertEqual(root.all("Contents").first?.value("ETag"), "\"abc\"")
        XCTAssertNotNil(root.all("Contents").last?.child("Owner"))
    }

    func testMalformedDocumentsGiveNil() {
        for text in ["<a><b></a>", "<a>", "<a>&bogus;</a>", "<a>&#xZZ;</a>", "<a><!-- unterminated", "</a>", "<>"] {
            XCTAssertNil(XMLNode.parse(Array(text.utf8)), text)
        }
    }

    func testEscape() {
        XCTAssertEqual(XMLNode.escape("a&b<c>\"d'"), "a&amp;b&lt;c&gt;&quot;d&apos;")
        XCTAssertEqual(XMLNode.parse(Array("<k>\(XMLNode.escape("a&b<c>\"d'"))</k>".utf8))?.text, "a&b<c>\"d'")
    }
}
