import CSQLite

/// A read-only virtual table implemented in Swift (no xUpdate: SQLite refuses every write).
package protocol SQLiteVirtualTable: AnyObject {
    /// `CREATE TABLE x(col TYPE, ...)` as sqlite3_declare_vtab takes it.
    var declaration: String { get }
    func bestIndex(_ request: SQLiteIndexRequest) -> SQLiteIndexPlan
    func openCursor() -> any SQLiteVirtualCursor
}

/// One scan of a virtual table; `filter` starts it with the plan and the constraint values.
package protocol SQLiteVirtualCursor: AnyObject {
    func filter(plan: String, arguments: [SQLiteValue]) throws
    func next() throws
    var isAtEnd: Bool { get }
    func column(_ index: Int, _ result: SQLiteResult)
    var rowID: Int64 { get }
}

/// Holds the Swift table behind an eponymous module (released by SQLite's module destructor).
private final class TableBox {
    let table: any SQLiteVirtualTable
    init(_ table: any SQLiteVirtualTable) { self.table = table }
}

/// Holds the Swift cursor behind an sqlite3_vtab_cursor.
private final class CursorBox {
    let cursor: any SQLiteVirtualCursor
    init(_ cursor: any SQLiteVirtualCursor) { self.cursor = cursor }
}

/// Our vtab and cursor structs are SQLite's base struct followed by one pointer to the Swift box.
private let vtabSize = MemoryLayout<sqlite3_vtab>.stride + MemoryLayout<UnsafeRawPointer>.stride
private let cursorSize = MemoryLayout<sqlite3_vtab_cursor>.stride + MemoryLayout<UnsafeRawPointer>.stride

private func box<T: AnyObject>(after base: UnsafeMutableRawPointer, stride: Int, as: T.Type) -> T {
    let raw = base.load(fromByteOffset: stride, as: UnsafeRawPointer.self)
    return Unmanaged<T>.fromOpaque(raw).takeUnretainedValue()
}

/// Calls `body` with the Swift cursor without retaining it (xColumn runs once per value).
private func withCursor<R>(_ cursor: UnsafeMutablePointer<sqlite3_vtab_cursor>?, _ body: (any SQLiteVirtualCursor) throws -> R) rethrows -> R {
    let raw = UnsafeMutableRawPointer(cursor!).load(fromByteOffset: MemoryLayout<sqlite3_vtab_cursor>.stride, as: UnsafeRawPointer.self)
    return try Unmanaged<CursorBox>.fromOpaque(raw)._withUnsafeGuaranteedRef { try body($0.cursor) }
}

/// A copy of `text` in sqlite3_malloc'd memory (SQLite frees error messages and idxStr itself).
func sqliteOwnedString(_ text: String) -> UnsafeMutablePointer<CChar>? {
    let bytes = Array(text.utf8) + [0]
    guard let memory = sqlite3_malloc(Int32(bytes.count)) else { return nil }
    bytes.withUnsafeBytes { memory.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
    return memory.assumingMemoryBound(to: CChar.self)
}

private func setError(_ cursor: UnsafeMutablePointer<sqlite3_vtab_cursor>?, _ error: any Error) -> Int32 {
    if let vtab = cursor?.pointee.pVtab {
        sqlite3_free(vtab.pointee.zErrMsg)
        vtab.pointee.zErrMsg = sqliteOwnedString("\(error)")
    }
    return SQLITE_ERROR
}

private func connect(
    _ db: OpaquePointer?, _ aux: UnsafeMutableRawPointer?, _ argc: Int32,
    _ argv: UnsafePointer<UnsafePointer<CChar>?>?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<sqlite3_vtab>?>?,
    _ errorOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    guard let aux, let out else { return SQLITE_MISUSE }
    let table = Unmanaged<TableBox>.fromOpaque(aux).takeUnretainedValue().table
    let rc = sqlite3_declare_vtab(db, table.declaration)
    guard rc == SQLITE_OK else { return rc }
    let memory = UnsafeMutableRawPointer.allocate(byteCount: vtabSize, alignment: 16)
    memory.initializeMemory(as: UInt8.self, repeating: 0, count: vtabSize)
    memory.storeBytes(of: UnsafeRawPointer(aux), toByteOffset: MemoryLayout<sqlite3_vtab>.stride, as: UnsafeRawPointer.self)
    out.pointee = memory.assumingMemoryBound(to: sqlite3_vtab.self)
    return SQLITE_OK
}

private func disconnect(_ vtab: UnsafeMutablePointer<sqlite3_vtab>?) -> Int32 {
    if let vtab {
        sqlite3_free(vtab.pointee.zErrMsg)
        UnsafeMutableRawPointer(vtab).deallocate()
    }
    return SQLITE_OK
}

private func bestIndex(_ vtab: UnsafeMutablePointer<sqlite3_vtab>?, _ info: UnsafeMutablePointer<sqlite3_index_info>?) -> Int32 {
    guard let vtab, let info else { return SQLITE_MISUSE }
    let table = box(after: UnsafeMutableRawPointer(vtab), stride: MemoryLayout<sqlite3_vtab>.stride, as: TableBox.self).table
    var constraints: [SQLiteConstraint] = []
    for i in 0..<Int(info.pointee.nConstraint) {
        let c = info.pointee.aConstraint[i]
        let op: SQLiteConstraint.Operator
        switch Int32(c.op) {
        case SQLITE_INDEX_CONSTRAINT_EQ: op = .equal
        case SQLITE_INDEX_CONSTRAINT_LT: op = .less
        case SQLITE_INDEX_CONSTRAINT_LE: op = .lessOrEqual
        case SQLITE_INDEX_CONSTRAINT_GT: op = .greater
        case SQLITE_INDEX_CONSTRAINT_GE: op = .greaterOrEqual
        default: op = .other
        }
        constraints.append(SQLiteConstraint(column: Int(c.iColumn), op: op, usable: c.usable != 0))
    }
    let orderBy = (0..<Int(info.pointee.nOrderBy)).map {
        (column: Int(info.pointee.aOrderBy[$0].iColumn), descending: info.pointee.aOrderBy[$0].desc != 0)
    }
    let plan = table.bestIndex(SQLiteIndexRequest(constraints: constraints, columnsUsed: info.pointee.colUsed, orderBy: orderBy))
    for (argument, constraint) in plan.argumentConstraints.enumerated()
    where constraints.indices.contains(constraint) && constraints[constraint].usable {
        info.pointee.aConstraintUsage[constraint].argvIndex = Int32(argument + 1)
        info.pointee.aConstraintUsage[constraint].omit = 0  // SQLite re-checks every row: pruning only has to be safe
    }
    info.pointee.idxStr = sqliteOwnedString(plan.planString)
    info.pointee.needToFreeIdxStr = 1
    info.pointee.estimatedCost = plan.estimatedCost
    info.pointee.estimatedRows = plan.estimatedRows
    info.pointee.orderByConsumed = plan.orderByConsumed ? 1 : 0
    return SQLITE_OK
}

private func openCursor(_ vtab: UnsafeMutablePointer<sqlite3_vtab>?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<sqlite3_vtab_cursor>?>?)
    -> Int32
{
    guard let vtab, let out else { return SQLITE_MISUSE }
    let table = box(after: UnsafeMutableRawPointer(vtab), stride: MemoryLayout<sqlite3_vtab>.stride, as: TableBox.self).table
    let memory = UnsafeMutableRawPointer.allocate(byteCount: cursorSize, alignment: 16)
    memory.initializeMemory(as: UInt8.self, repeating: 0, count: cursorSize)
    let cursor = Unmanaged.passRetained(CursorBox(table.openCursor())).toOpaque()
    memory.storeBytes(of: UnsafeRawPointer(cursor), toByteOffset: MemoryLayout<sqlite3_vtab_cursor>.stride, as: UnsafeRawPointer.self)
    out.pointee = memory.assumingMemoryBound(to: sqlite3_vtab_cursor.self)
    return SQLITE_OK
}

private func closeCursor(_ cursor: UnsafeMutablePointer<sqlite3_vtab_cursor>?) -> Int32 {
    guard let cursor else { return SQLITE_OK }
    let raw = UnsafeMutableRawPointer(cursor).load(fromByteOffset: MemoryLayout<sqlite3_vtab_cursor>.stride, as: UnsafeRawPointer.self)
    Unmanaged<CursorBox>.fromOpaque(raw).release()
    UnsafeMutableRawPointer(cursor).deallocate()
    return SQLITE_OK
}

private func filter(
    _ cursor: UnsafeMutablePointer<sqlite3_vtab_cursor>?, _ idxNum: Int32, _ idxStr: UnsafePointer<CChar>?,
    _ argc: Int32, _ argv: UnsafeMutablePointer<OpaquePointer?>?
) -> Int32 {
    let arguments = (0..<Int(argc)).map { SQLiteValue(argv?[$0]) }
    do {
        try withCursor(cursor) { try $0.filter(plan: idxStr.map { String(cString: $0) } ?? "", arguments: arguments) }
        return SQLITE_OK
    } catch {
        return setError(cursor, error)
    }
}

private func next(_ cursor: UnsafeMutablePointer<sqlite3_vtab_cursor>?) -> Int32 {
    do {
        try withCursor(cursor) { try $0.next() }
        return SQLITE_OK
    } catch {
        return setError(cursor, error)
    }
}

private func eof(_ cursor: UnsafeMutablePointer<sqlite3_vtab_cursor>?) -> Int32 {
    withCursor(cursor) { $0.isAtEnd } ? 1 : 0
}

private func column(_ cursor: UnsafeMutablePointer<sqlite3_vtab_cursor>?, _ context: OpaquePointer?, _ index: Int32) -> Int32 {
    guard let context else { return SQLITE_MISUSE }
    withCursor(cursor) { $0.column(Int(index), SQLiteResult(context: context)) }
    return SQLITE_OK
}

private func rowid(_ cursor: UnsafeMutablePointer<sqlite3_vtab_cursor>?, _ out: UnsafeMutablePointer<sqlite3_int64>?) -> Int32 {
    out?.pointee = withCursor(cursor) { $0.rowID }
    return SQLITE_OK
}

/// The module shared by every read-only table: eponymous-only (xCreate nil), no xUpdate.
nonisolated(unsafe) private let readOnlyModule: UnsafeMutablePointer<sqlite3_module> = {
    let module = UnsafeMutablePointer<sqlite3_module>.allocate(capacity: 1)
    var m = sqlite3_module()
    m.iVersion = 1
    m.xCreate = nil
    m.xConnect = connect
    m.xBestIndex = bestIndex
    m.xDisconnect = disconnect
    m.xDestroy = disconnect
    m.xOpen = openCursor
    m.xClose = closeCursor
    m.xFilter = filter
    m.xNext = next
    m.xEof = eof
    m.xColumn = column
    m.xRowid = rowid
    module.initialize(to: m)
    return module
}()

extension SQLiteDatabase {
    /// Makes `table` queryable under `name` as an eponymous, read-only virtual table.
    package func registerVirtualTable(_ name: String, _ table: any SQLiteVirtualTable) throws(SQLiteError) {
        let aux = Unmanaged.passRetained(TableBox(table)).toOpaque()
        let rc = sqlite3_create_module_v2(handle, name, readOnlyModule, aux) { pointer in
            if let pointer { Unmanaged<TableBox>.fromOpaque(pointer).release() }
        }
        guard rc == SQLITE_OK else {
            throw SQLiteError(code: rc, message: lastMessage, context: "registering virtual table \(name)")
        }
    }
}

extension SQLiteValue {
    /// Copies an sqlite3_value (a function argument or constraint value) into Swift.
    init(_ value: OpaquePointer?) {
        switch sqlite3_value_type(value) {
        case SQLITE_INTEGER: self = .int(sqlite3_value_int64(value))
        case SQLITE_FLOAT: self = .double(sqlite3_value_double(value))
        case SQLITE_TEXT:
            let count = Int(sqlite3_value_bytes(value))
            if let text = sqlite3_value_text(value) {
                self = .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
            } else {
                self = .text("")
            }
        case SQLITE_BLOB:
            let count = Int(sqlite3_value_bytes(value))
            if let blob = sqlite3_value_blob(value) {
                self = .blob(Array(UnsafeRawBufferPointer(start: blob, count: count)))
            } else {
                self = .blob([])
            }
        default: self = .null
        }
    }
}
