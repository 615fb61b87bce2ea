import Engine

/// Writes packed JSON (`PackedJSON`) straight from the calls that would write JSON text, with no
/// `JSONValue` in between: what `PackedJSON.unpack` reads back is the value `JSONWriter` would
/// have written as text for the same calls. Several top-level values may follow one another.
///
/// Interning may fail (it reads the database): the first failure stops the writing and `take`
/// throws it. One writer packs a whole batch, value after value.
struct PackedJSONWriter: JSONOutput {
    private var bytes: [UInt8] = []
    private let interning: PackedJSON.Interning
    /// A value written inline wherever it appears (a payment record's account, which recurs in
    /// its usage keys: interning it would only grow the table).
    var inline: String?
    /// The open containers: for an object, where its tag is and the shape of its keys so far.
    private var open: [OpenContainer] = []
    /// How many entries of `open` are in use (the rest are kept for their shape's storage).
    private var depth = 0
    private var failure: (any Error)?

    private struct OpenContainer {
        var isObject: Bool
        var tagOffset: Int
        var count: Int
        var shape: [UInt8]
    }

    init(interning: PackedJSON.Interning) {
        self.interning = interning
        bytes.reserveCapacity(256)
    }

    /// The bytes written since the last `take`, or the first interning failure.
    mutating func take() throws -> [UInt8] {
        if let failure { throw failure }
        defer { bytes.removeAll(keepingCapacity: true) }
        return Array(bytes)
    }

    mutating func beginObject(_ key: String?) { begin(key, isObject: true) }
    mutating func beginArray(_ key: String?) { begin(key, isObject: false) }

    mutating func endObject() {
        guard depth > 0 else { return }
        depth -= 1
        let object = open[depth]
        guard failure == nil else { return }
        do {
            let shape = try interning.shape(object.shape)
            bytes.insert(contentsOf: repeatElement(0, count: PackedJSON.varintLength(UInt64(shape))), at: object.tagOffset + 1)
            var offset = object.tagOffset + 1
            PackedJSON.writeVarint(UInt64(shape), into: &bytes, at: &offset)
        } catch {
            failure = error
        }
    }

    mutating func endArray() {
        guard depth > 0 else { return }
        depth -= 1
        let array = open[depth]
        bytes.insert(
            contentsOf: repeatElement(0, count: PackedJSON.varintLength(UInt64(array.count))), at: array.tagOffset + 1)
        var offset = array.tagOffset + 1
        PackedJSON.writeVarint(UInt64(array.count), into: &bytes, at: &offset)
    }

    mutating func string(_ key: String?, _ value: String) {
        member(key)
        guard failure == nil else { return }
        do {
            if !PackedJSON.isUnique(key: key), value != inline, value.utf8.count <= PackedJSON.longestInterned,
                let id = try interning.value(value)
            {
                bytes.append(PackedJSON.Tag.stringReference.rawValue)
                PackedJSON.appendVarint(UInt64(id), to: &bytes)
            } else {
                PackedJSON.appendInline(value, tag: .inlineString, to: &bytes)
            }
        } catch {
            failure = error
        }
    }

    mutating func int(_ key: String?, _ value: Int) {
        member(key)
        PackedJSON.appendInteger(value, to: &bytes)
    }

    mutating func bool(_ key: String?, _ value: Bool) {
        member(key)
        bytes.append(value ? PackedJSON.Tag.true.rawValue : PackedJSON.Tag.false.rawValue)
    }

    mutating func null(_ key: String?) {
        member(key)
        bytes.append(PackedJSON.Tag.null.rawValue)
    }

    private mutating func begin(_ key: String?, isObject: Bool) {
        member(key)
        let tag = isObject ? PackedJSON.Tag.shapedObject : PackedJSON.Tag.array
        if depth == open.count {
            open.append(OpenContainer(isObject: isObject, tagOffset: bytes.count, count: 0, shape: []))
        } else {
            open[depth].isObject = isObject
            open[depth].tagOffset = bytes.count
            open[depth].count = 0
            open[depth].shape.removeAll(keepingCapacity: true)
        }
        depth += 1
        bytes.append(tag.rawValue)
    }

    /// Notes a member of the innermost container: its key in an object's shape.
    private mutating func member(_ key: String?) {
        guard depth > 0 else { return }
        open[depth - 1].count += 1
        if open[depth - 1].isObject { PackedJSON.appendToShape(key ?? "", &open[depth - 1].shape) }
    }
}
