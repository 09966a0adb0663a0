import CSQLite

/// The state of one aggregate group: fed each row's arguments, then asked for the result.
package protocol SQLiteAggregate: AnyObject {
    func step(_ arguments: [SQLiteValue]) throws
    /// The result; also called for a group with no rows (a fresh state).
    func result() throws -> SQLiteValue
}

/// An error a function reports to the statement (SQLite prints its message).
package struct SQLiteFunctionError: Error, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}

private final class ScalarBox {
    let body: ([SQLiteValue]) throws -> SQLiteValue
    init(_ body: @escaping ([SQLiteValue]) throws -> SQLiteValue) { self.body = body }
}

private final class AggregateBox {
    let make: () -> any SQLiteAggregate
    init(_ make: @escaping () -> any SQLiteAggregate) { self.make = make }
}

private final class StateBox {
    let state: any SQLiteAggregate
    init(_ state: any SQLiteAggregate) { self.state = state }
}

private func arguments(_ argc: Int32, _ argv: UnsafeMutablePointer<OpaquePointer?>?) -> [SQLiteValue] {
    (0..<Int(argc)).map { SQLiteValue(argv?[$0]) }
}

private func report(_ context: OpaquePointer, _ error: any Error) {
    sqlite3_result_error(context, "\(error)", -1)
}

private let releaseBox: @convention(c) (UnsafeMutableRawPointer?) -> Void = { pointer in
    if let pointer { Unmanaged<AnyObject>.fromOpaque(pointer).release() }
}

extension SQLiteDatabase {
    /// Registers a deterministic scalar SQL function taking `arity` arguments.
    package func registerScalar(_ name: String, arity: Int32, _ body: @escaping ([SQLiteValue]) throws -> SQLiteValue) throws(SQLiteError) {
        let app = Unmanaged.passRetained(ScalarBox(body) as AnyObject).toOpaque()
        let rc = sqlite3_create_function_v2(
            handle, name, arity, SQLITE_UTF8 | SQLITE_DETERMINISTIC, app,
            { context, argc, argv in
                guard let context else { return }
                let box = Unmanaged<ScalarBox>.fromOpaque(sqlite3_user_data(context)).takeUnretainedValue()
                do {
                    SQLiteResult(context: context).value(try box.body(arguments(argc, argv)))
                } catch {
                    report(context, error)
                }
            }, nil, nil, releaseBox)
        guard rc == SQLITE_OK else { throw SQLiteError(code: rc, message: lastMessage, context: "registering function \(name)") }
    }

    /// Registers an aggregate SQL function; `make` creates the state of each group.
    package func registerAggregate(_ name: String, arity: Int32, _ make: @escaping () -> any SQLiteAggregate) throws(SQLiteError) {
        let app = Unmanaged.passRetained(AggregateBox(make) as AnyObject).toOpaque()
        let rc = sqlite3_create_function_v2(
            handle, name, arity, SQLITE_UTF8 | SQLITE_DETERMINISTIC, app, nil,
            { context, argc, argv in
                guard let context, let slot = sqlite3_aggregate_context(context, Int32(MemoryLayout<UnsafeRawPointer>.stride)) else { return }
                var raw = slot.load(as: UnsafeRawPointer?.self)
                if raw == nil {
                    let box = Unmanaged<AggregateBox>.fromOpaque(sqlite3_user_data(context)).takeUnretainedValue()
                    raw = UnsafeRawPointer(Unmanaged.passRetained(StateBox(box.make())).toOpaque())
                    slot.storeBytes(of: raw, as: UnsafeRawPointer?.self)
                }
                do {
                    try Unmanaged<StateBox>.fromOpaque(raw!).takeUnretainedValue().state.step(arguments(argc, argv))
                } catch {
                    report(context, error)
                }
            },
            { context in
                guard let context else { return }
                // With no rows SQLite has no aggregate context yet: answer from a fresh state.
                let slot = sqlite3_aggregate_context(context, 0)
                let state: any SQLiteAggregate
                if let raw = slot?.load(as: UnsafeRawPointer?.self) {
                    let box = Unmanaged<StateBox>.fromOpaque(raw)
                    state = box.takeUnretainedValue().state
                    box.release()
                    slot?.storeBytes(of: nil, as: UnsafeRawPointer?.self)
                } else {
                    state = Unmanaged<AggregateBox>.fromOpaque(sqlite3_user_data(context)).takeUnretainedValue().make()
                }
                do {
                    SQLiteResult(context: context).value(try state.result())
                } catch {
                    report(context, error)
                }
            }, releaseBox)
        guard rc == SQLITE_OK else { throw SQLiteError(code: rc, message: lastMessage, context: "registering aggregate \(name)") }
    }
}
