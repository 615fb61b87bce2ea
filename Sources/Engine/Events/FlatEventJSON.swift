#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// An event's JSON read in one pass over its bytes, without building a `JSONValue` tree, when it
/// has the usual shape: an object whose members are strings or objects of strings, every key
/// and string ASCII without escapes, no key repeated in an object.
///
/// `read` answers `nil` for anything else (a number, an escape, a repeated key, deeper nesting,
/// invalid JSON…); the event is then parsed as a tree, which reports any error. So what this
/// accepts reads exactly as the tree would: the same members, the same compact size.
struct FlatEventJSON: EventObject {
    /// One member of the top-level object or of an object inside it.
    private struct Member {
        let keyStart: Int
        let keyEnd: Int
        let valueStart: Int
        var valueEnd: Int
        let isObject: Bool
        /// The member whose object holds this one, `-1` for the top level.
        let parent: Int
    }

    /// The members of a whole line, shared by the top-level object and the objects inside it.
    /// Immutable once read.
    private final class Members {
        let bytes: UnsafeBufferPointer<UInt8>
        let list: [Member]

        init(bytes: UnsafeBufferPointer<UInt8>, list: [Member]) {
            self.bytes = bytes
            self.list = list
        }
    }

    /// More members than this go to the tree parser (keys are compared pairwise here).
    static let maximumMembers = 32

    private let members: Members
    /// The member whose object this is, `-1` for the top level.
    private let parent: Int

    private init(members: Members, parent: Int) {
        self.members = members
        self.parent = parent
    }

    /// Reads `bytes` (valid only while they are) as one event object; `nil` when it does not
    /// have the usual shape. `size` is the compact JSON's size, as `EventParser` counts it.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>) -> (object: FlatEventJSON, size: Int)? {
        var scanner = Scanner(bytes: bytes)
        scanner.skipWhitespace()
        guard scanner.position < bytes.count, bytes[scanner.position] == UInt8(ascii: "{"),
            scanner.readObject(parent: -1)
        else { return nil }
        scanner.skipWhitespace()
        guard scanner.position == bytes.count, scanner.members.count <= maximumMembers, !scanner.hasRepeatedKey() else {
            return nil
        }
        return (FlatEventJSON(members: Members(bytes: bytes, list: scanner.members), parent: -1), scanner.size(of: -1))
    }

    func member(_ key: String) -> EventMember<FlatEventJSON>? {
        var key = key
        return key.withUTF8 { key in
            let bytes = members.bytes
            for (index, member) in members.list.enumerated() where member.parent == parent {
                guard member.keyEnd - member.keyStart == key.count,
                    memcmp(bytes.baseAddress! + member.keyStart, key.baseAddress!, key.count) == 0
                else { continue }
                if member.isObject { return .object(FlatEventJSON(members: members, parent: index)) }
                return .string(
                    String(decoding: UnsafeBufferPointer(rebasing: bytes[member.valueStart..<member.valueEnd]), as: UTF8.self))
            }
            return nil
        }
    }

    // MARK: reading

    /// One pass over a line's bytes.
    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var members: [Member] = []
        var position = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
            members.reserveCapacity(16)
        }

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        /// Reads a string at the position (its opening quote) when it is plain ASCII with no
        /// escape and no control character; returns the range of its content.
        mutating func readString() -> Range<Int>? {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return nil }
            let start = position + 1
            var end = start
            while end < bytes.count {
                let byte = bytes[end]
                if byte == UInt8(ascii: "\"") {
                    position = end + 1
                    return start..<end
                }
                guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\\") else { return nil }
                end += 1
            }
            return nil
        }

        /// Reads an object at the position (its `{`) whose members are strings, or (at the top
        /// level only) objects of strings.
        mutating func readObject(parent: Int) -> Bool {
            position += 1
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return true
            }
            while true {
                skipWhitespace()
                guard let key = readString() else { return false }
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return false }
                position += 1
                skipWhitespace()
                guard position < bytes.count else { return false }
                if bytes[position] == UInt8(ascii: "{") {
                    guard parent == -1 else { return false }
                    let index = members.count
                    members.append(
                        Member(
                            keyStart: key.lowerBound, keyEnd: key.upperBound, valueStart: position, valueEnd: position,
                            isObject: true, parent: parent))
                    guard readObject(parent: index) else { return false }
                    members[index].valueEnd = position
                } else {
                    guard let value = readString() else { return false }
                    members.append(
                        Member(
                            keyStart: key.lowerBound, keyEnd: key.upperBound, valueStart: value.lowerBound,
                            valueEnd: value.upperBound, isObject: false, parent: parent))
                }
                skipWhitespace()
                guard position < bytes.count else { return false }
                switch bytes[position] {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "}"):
                    position += 1
                    return true
                default: return false
                }
            }
        }

        /// Whether a key appears twice in one object (the tree parser reports which).
        func hasRepeatedKey() -> Bool {
            for (index, member) in members.enumerated() {
                let length = member.keyEnd - member.keyStart
                for earlier in members[..<index]
                where earlier.parent == member.parent && earlier.keyEnd - earlier.keyStart == length {
                    if memcmp(bytes.baseAddress! + earlier.keyStart, bytes.baseAddress! + member.keyStart, length) == 0 {
                        return true
                    }
                }
            }
            return false
        }

        /// The compact size of the object of `parent`: braces, commas, each key quoted with
        /// its colon, each value (a string with its quotes).
        func size(of parent: Int) -> Int {
            var count = 0
            var size = 2
            for (index, member) in members.enumerated() where member.parent == parent {
                count += 1
                size += member.keyEnd - member.keyStart + 3
                size += member.isObject ? self.size(of: index) : member.valueEnd - member.valueStart + 2
            }
            return size + max(0, count - 1)
        }
    }
}
