/// A case-insensitive glob on a merchant name: `*` any run, `?` one character, nothing else
/// special; the whole name must match.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    private let characters: [Character]

    public init(_ pattern: String) {
        self.pattern = pattern
        self.characters = Array(pattern.lowercased())
    }

    /// Whether a name matches; pass the name already lower-cased (`lowercasedName`).
    public func matches(lowercasedName name: [Character]) -> Bool {
        var p = 0
        var n = 0
        var starP = -1
        var starN = 0
        while n < name.count {
            if p < characters.count, characters[p] == "*" {
                starP = p
                starN = n
                p += 1
            } else if p < characters.count, characters[p] == "?" || characters[p] == name[n] {
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
        while p < characters.count, characters[p] == "*" { p += 1 }
        return p == characters.count
    }

    /// Whether a name matches, case-insensitively.
    public func matches(_ name: String) -> Bool { matches(lowercasedName: Array(name.lowercased())) }

    public var description: String { pattern }
}
