/// Counters of what the virtual tables read: parts, row groups, rows and which columns.
package struct LakeScanStats: Sendable, Equatable {
    package var scans = 0
    package var partsRead = 0
    package var rowGroupsRead = 0
    package var rowsRead = 0
    package var columnsRead: Set<String> = []
}
