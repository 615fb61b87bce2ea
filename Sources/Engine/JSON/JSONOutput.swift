/// Where JSON is written, member by member in order: as text (`JSONWriter`) or packed for
/// storage (the store's `PackedJSONWriter`). A `nil` key writes an array element (or the
/// top-level value).
package protocol JSONOutput {
    mutating func beginObject(_ key: String?)
    mutating func endObject()
    mutating func beginArray(_ key: String?)
    mutating func endArray()
    mutating func string(_ key: String?, _ value: String)
    mutating func int(_ key: String?, _ value: Int)
    mutating func bool(_ key: String?, _ value: Bool)
    mutating func null(_ key: String?)
}

extension JSONOutput {
    package mutating func beginObject() { beginObject(nil) }
    package mutating func beginArray() { beginArray(nil) }

    package mutating func optionalString(_ key: String, _ value: String?) {
        if let value { string(key, value) } else { null(key) }
    }
}
