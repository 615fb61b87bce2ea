/// Checks of presented secrets: bearer tokens and the dashboard's session signatures.
enum Tokens {
    /// The token of an `Authorization: Bearer …` header.
    static func bearer(_ header: String?) -> String? {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        return String(header.dropFirst(7))
    }

    /// Whether `presented` equals one of `accepted`, compared with every one of them (no short
    /// cut) in constant time.
    static func matches(_ presented: String, _ accepted: [String]) -> Bool {
        accepted.map { constantTimeEquals(presented, $0) }.contains(true)
    }

    /// Compares without an early exit, so timing tells nothing about where a guess went wrong.
    private static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        var difference = UInt8(truncatingIfNeeded: left.count ^ right.count)
        for index in 0..<max(left.count, right.count) {
            let a = index < left.count ? left[index] : 0
            let b = index < right.count ? right[index] : 0
            difference |= a ^ b
        }
        return difference == 0 && left.count == right.count
    }
}
