/// Fixed-width text columns for people: each cell is padded to its column's width (a longer
/// cell pushes the rest right by one space); cells past the last width follow, space-separated.
struct TextTable {
    let widths: [Int]

    func row(_ cells: [String]) -> String {
        let padded = zip(cells, widths).map { cell, width in
            cell.count >= width ? cell + " " : cell + String(repeating: " ", count: width - cell.count)
        }.joined()
        return padded + (cells.count > widths.count ? cells[widths.count...].joined(separator: " ") : "")
    }
}
