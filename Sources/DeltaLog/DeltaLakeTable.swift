import Parquet

/// A lake table as the publisher needs it: name (its folder under `tables/`) and file schema.
package struct DeltaLakeTable: Sendable, Equatable {
    package var name: String
    package var schema: ParquetSchema
    package init(name: String, schema: ParquetSchema) {
        self.name = name
        self.schema = schema
    }
}
