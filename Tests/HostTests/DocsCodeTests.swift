import Foundation
import Testing

/// The Swift code that `docs/plugins.md` shows is the code that builds: every block marked
/// `<!-- from PATH -->` is made of lines of that source file, in the same order (a body shown
/// as `{ … }` stands for the lines it leaves out).
@Suite struct DocsCodeTests {
    struct Listing: CustomTestStringConvertible, Sendable {
        let source: String
        let lines: [String]
        var testDescription: String { source }
    }

    static let listings: [Listing] = {
        let guide = CashbackBinary.repositoryRoot.appendingPathComponent("docs/plugins.md")
        guard let text = try? String(contentsOf: guide, encoding: .utf8) else { return [] }
        var listings: [Listing] = []
        var source: String?
        var block: [String]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if let prefixRange = line.range(of: "<!-- from "), line.hasSuffix(" -->") {
                source = String(line[prefixRange.upperBound...].dropLast(4))
            } else if source != nil, block == nil, line == "```swift" {
                block = []
            } else if let lines = block, line == "```" {
                listings.append(Listing(source: source ?? "", lines: lines))
                block = nil
                source = nil
            } else if block != nil {
                block?.append(line)
            }
        }
        return listings
    }()

    @Test func theGuideMarksItsListings() {
        #expect(
            Self.listings.map(\.source).sorted() == [
                "Sources/Engine/Plugins/ConditionPlugin.swift", "Sources/Plugins/NthPurchase/NthPurchaseCondition.swift",
            ])
    }

    @Test(arguments: listings)
    func listingIsTheSourceInOrder(listing: Listing) throws {
        let file = CashbackBinary.repositoryRoot.appendingPathComponent(listing.source)
        let source = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var position = 0
        for line in listing.lines.map({ $0.trimmingCharacters(in: .whitespaces) }) where !line.isEmpty {
            let shown = line.hasSuffix("{ … }") ? String(line.dropLast("{ … }".count)) : line
            let matches = { (candidate: String) in line.hasSuffix("{ … }") ? candidate.hasPrefix(shown) : candidate == shown }
            guard let found = source[position...].firstIndex(where: matches) else {
                Issue.record("\(listing.source) has no line \"\(line)\" after line \(position)")
                return
            }
            position = found + 1
        }
    }

    @Test func theProtocolListingHasEveryRequirement() throws {
        let listing = try #require(Self.listings.first { $0.source.hasSuffix("ConditionPlugin.swift") })
        let shown = Set(listing.lines.map { $0.trimmingCharacters(in: .whitespaces) })
        let file = CashbackBinary.repositoryRoot.appendingPathComponent(listing.source)
        var inProtocol = false
        for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init) {
            if line.hasPrefix("public protocol ") { inProtocol = true }
            let requirement = line.trimmingCharacters(in: .whitespaces)
            if inProtocol && !requirement.isEmpty && !requirement.hasPrefix("//") {
                #expect(shown.contains(requirement), "docs/plugins.md does not show: \(requirement)")
            }
            if line == "}" { inProtocol = false }
        }
    }
}
