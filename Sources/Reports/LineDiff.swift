/// The difference between two texts, line by line: the longest common subsequence of their lines,
/// the rest removed from the first or added by the second.
package struct LineDiff: Sendable, Equatable {
    /// A line of the difference.
    package enum Line: Sendable, Equatable {
        case same(String)
        case removed(String)
        case added(String)
    }

    package let lines: [Line]

    /// Texts longer than this many lines each are compared as wholly replaced (the comparison
    /// takes time and memory in the product of their lengths).
    package static let largestCompared = 4_000

    package init(from old: String, to new: String) {
        let before = Self.lines(of: old)
        let after = Self.lines(of: new)
        var prefix = 0
        while prefix < min(before.count, after.count), before[prefix] == after[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < min(before.count, after.count) - prefix,
            before[before.count - 1 - suffix] == after[after.count - 1 - suffix]
        {
            suffix += 1
        }
        let middle = Self.middle(
            Array(before[prefix..<(before.count - suffix)]), Array(after[prefix..<(after.count - suffix)]))
        lines =
            before[..<prefix].map(Line.same) + middle + before[(before.count - suffix)...].map(Line.same)
    }

    /// The lines of a text; none for an empty one.
    private static func lines(of text: String) -> [String] {
        text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Whether the texts differ.
    package var hasChanges: Bool {
        lines.contains { if case .same = $0 { false } else { true } }
    }

    /// The changed lines with up to `context` unchanged lines around each change; `nil` marks
    /// where unchanged lines were left out.
    package func hunks(context: Int = 3) -> [Line?] {
        let changed = lines.indices.filter { if case .same = lines[$0] { false } else { true } }
        var kept = Set<Int>()
        for index in changed { kept.formUnion(max(0, index - context)...min(lines.count - 1, index + context)) }
        var result: [Line?] = []
        var previous = -1
        for index in kept.sorted() {
            if index != previous + 1 { result.append(nil) }
            result.append(lines[index])
            previous = index
        }
        if previous != lines.count - 1, !kept.isEmpty { result.append(nil) }
        return result
    }

    /// The lines between the common prefix and suffix, by a table of common subsequence lengths.
    private static func middle(_ before: [String], _ after: [String]) -> [Line] {
        guard before.count <= largestCompared, after.count <= largestCompared else {
            return before.map(Line.removed) + after.map(Line.added)
        }
        let width = after.count + 1
        // common[i * width + j]: the longest common subsequence of before[i...] and after[j...].
        var common = [Int32](repeating: 0, count: (before.count + 1) * width)
        for i in stride(from: before.count - 1, through: 0, by: -1) {
            for j in stride(from: after.count - 1, through: 0, by: -1) {
                common[i * width + j] =
                    before[i] == after[j]
                    ? common[(i + 1) * width + j + 1] + 1 : max(common[(i + 1) * width + j], common[i * width + j + 1])
            }
        }
        var lines: [Line] = []
        var (i, j) = (0, 0)
        while i < before.count || j < after.count {
            if i < before.count, j < after.count, before[i] == after[j] {
                lines.append(.same(before[i]))
                (i, j) = (i + 1, j + 1)
            } else if i < before.count, j == after.count || common[(i + 1) * width + j] >= common[i * width + j + 1] {
                lines.append(.removed(before[i]))
                i += 1
            } else {
                lines.append(.added(after[j]))
                j += 1
            }
        }
        return lines
    }
}
