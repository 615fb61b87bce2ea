/// The SQLite store is the embedded backend of the service; the requirements are implemented
/// by its extensions (`+Queue`, `+Batch`, `+Credits`, `+Queries`, `+Unavailability`).
extension SQLiteStore: Storage {
    package var name: String { path }
}
