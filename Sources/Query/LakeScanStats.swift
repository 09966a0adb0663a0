/// Counters of what the virtual tables read: parts, row groups, rows and which columns.
package struct LakeScanStats: Sendable, Equatable {
    package var scans = 0
    package var partsRead = 0
    package var rowGroupsRead = 0
    /// Row groups whose `ts` statistics showed no row could match.
    package var rowGroupsSkipped = 0
    /// Row groups whose `ts` statistics proved every row passes the `ts` filters (no row test).
    package var rowGroupsProven = 0
    package var rowsRead = 0
    package var columnsRead: Set<String> = []
}
