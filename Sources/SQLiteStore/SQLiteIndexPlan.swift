/// A comparison the planner offers a virtual table on one column (`WHERE col op value`).
package struct SQLiteConstraint: Sendable, Equatable {
    package enum Operator: Sendable, Equatable { case equal, less, lessOrEqual, greater, greaterOrEqual, other }
    package var column: Int
    package var op: Operator
    package var usable: Bool
}

/// What the planner asks in xBestIndex: the constraints and which columns the statement reads.
package struct SQLiteIndexRequest: Sendable {
    package var constraints: [SQLiteConstraint]
    /// Bit i set when column i is read; bit 63 stands for every column from 63 on.
    package var columnsUsed: UInt64
    /// The ORDER BY (or GROUP BY) terms the statement would like the rows in.
    package var orderBy: [(column: Int, descending: Bool)]
}

/// A table's answer: which constraints' values it wants in `filter` (in order), a plan string
/// passed back to `filter`, and the cost estimate the planner compares plans by.
package struct SQLiteIndexPlan: Sendable {
    package var argumentConstraints: [Int] = []
    package var planString: String = ""
    package var estimatedCost: Double = 1e9
    package var estimatedRows: Int64 = 1_000_000_000
    /// True when the rows come out in the requested `orderBy` already (SQLite then skips its sort).
    package var orderByConsumed = false
    package init() {}
}
