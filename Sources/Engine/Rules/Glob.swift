/// A case-insensitive glob on a merchant name: `*` any run, `?` one character, nothing else
/// special; the whole name must match.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    private let characters: [Character]
    /// The lower-cased pattern's bytes when it is printable ASCII, where a byte is a character.
    private let asciiBytes: [UInt8]?

    public init(_ pattern: String) {
        self.pattern = pattern
        self.characters = Array(pattern.lowercased())
        asciiBytes = Glob.isPrintableASCII(pattern.utf8) ? Array(pattern.lowercased().utf8) : nil
    }

    /// Whether a name matches, case-insensitively.
    ///
    /// A printable ASCII name is matched byte by byte against a printable ASCII pattern, its
    /// letters lower-cased on the stack, with nothing allocated; any other name goes through
    /// `Character`s, which is what case and grapheme rules need.
    public func matches(_ name: String) -> Bool {
        if let asciiBytes {
            var name = name
            let matched = name.withUTF8 { utf8 -> Bool? in
                guard Glob.isPrintableASCII(utf8) else { return nil }
                return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: utf8.count) { lowered in
                    for (index, byte) in utf8.enumerated() {
                        lowered[index] = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
                    }
                    return Glob.matches(asciiBytes, UnsafeBufferPointer(lowered), any: UInt8(ascii: "*"), one: UInt8(ascii: "?"))
                }
            }
            if let matched { return matched }
        }
        return Glob.matches(characters, Array(name.lowercased()), any: "*", one: "?")
    }

    /// Whether `name` matches `pattern`, both lower-cased, `any` and `one` being the wildcards.
    private static func matches<Pattern: RandomAccessCollection, Name: RandomAccessCollection>(
        _ pattern: Pattern, _ name: Name, any: Pattern.Element, one: Pattern.Element
    ) -> Bool where Pattern.Element: Equatable, Pattern.Element == Name.Element, Pattern.Index == Int, Name.Index == Int {
        var p = 0
        var n = 0
        var starP = -1
        var starN = 0
        while n < name.count {
            if p < pattern.count, pattern[p] == any {
                starP = p
                starN = n
                p += 1
            } else if p < pattern.count, pattern[p] == one || pattern[p] == name[n] {
                p += 1
                n += 1
            } else if starP >= 0 {
                p = starP + 1
                starN += 1
                n = starN
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == any { p += 1 }
        return p == pattern.count
    }

    private static func isPrintableASCII(_ bytes: some Sequence<UInt8>) -> Bool {
        bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    public var description: String { pattern }
}
