/// The records of one CSV export, produced as they are read (header first), so a parser never
/// holds them all: memory is the file's bytes plus the invoice lines made from it. Reading is
/// the recovering kind (``CSVReader/forEachRecord(_:_:)``): an unclosed quote costs one line.
struct CSVRecordStream {
    let bytes: [UInt8]

    /// The first record (the header), reading no further than it.
    func header() throws(CSVReader.Failure) -> CSVRecord? {
        var first: CSVRecord?
        _ = try CSVReader.forEachRecord(bytes) {
            first = $0; return false
        }
        return first
    }

    /// Calls `body` with each record in file order; returns those the reader had to skip.
    func forEach(_ body: (CSVRecord) -> Void) throws(CSVReader.Failure) -> [CSVReader.Skipped] {
        try CSVReader.forEachRecord(bytes) {
            body($0); return true
        }
    }
}
