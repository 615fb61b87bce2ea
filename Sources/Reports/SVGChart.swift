import Engine

/// The charts of the report and the dashboard, drawn as inline SVG by the project: no script,
/// no external file.
package enum SVGChart {
    /// A column per value (a day, in order), scaled to the largest magnitude, negative values
    /// below the axis; each column's title gives its label and value.
    package static func columns(_ values: [(label: String, value: Int128)], format: (Int128) -> String) -> String {
        let width = 640
        let height = 160
        let largest = max(values.map(\.value.magnitude).max() ?? 1, 1)
        let hasNegative = values.contains { $0.value < 0 }
        let axis = hasNegative ? height / 2 : height - 1
        let room = hasNegative ? height / 2 - 2 : height - 2
        let count = max(values.count, 1)
        var svg =
            ##"<svg class="chart" viewBox="0 0 \##(width) \##(height)" width="\##(width)" height="\##(height)" role="img">"##
        svg += ##"<line x1="0" y1="\##(axis)" x2="\##(width)" y2="\##(axis)" stroke="#888"/>"##
        for (index, entry) in values.enumerated() {
            let size = Int(entry.value.magnitude * UInt128(room) / largest)
            let x = index * width / count
            let y = entry.value < 0 ? axis : axis - size
            let barWidth = max(1, width / count - 1)
            let color = entry.value < 0 ? "#b3261e" : "#1f5fa8"
            svg += ##"<rect x="\##(x)" y="\##(y)" width="\##(barWidth)" height="\##(max(size, 1))" fill="\##(color)">"##
            svg += "<title>\(HTMLText.escape(entry.label)): \(HTMLText.escape(format(entry.value)))</title></rect>"
        }
        return svg + "</svg>"
    }

    /// A horizontal bar per value (a partner's delta), from a middle axis, with its label and value.
    package static func bars(_ values: [(label: String, value: Int128)], format: (Int128) -> String) -> String {
        let rowHeight = 22
        let width = 640
        let middle = 400
        let room = 230
        let largest = max(values.map(\.value.magnitude).max() ?? 1, 1)
        var svg = ##"<svg class="chart" viewBox="0 0 \##(width) \##(values.count * rowHeight + 4)" width="\##(width)" "##
        svg += ##"height="\##(values.count * rowHeight + 4)" role="img">"##
        svg += ##"<line x1="\##(middle)" y1="0" x2="\##(middle)" y2="\##(values.count * rowHeight + 4)" stroke="#888"/>"##
        for (index, entry) in values.enumerated() {
            let y = index * rowHeight + 2
            let size = max(1, Int(entry.value.magnitude * UInt128(room) / largest))
            let x = entry.value < 0 ? middle - size : middle
            let color = entry.value < 0 ? "#b3261e" : "#1f5fa8"
            let text = HTMLText.escape(entry.label) + " " + HTMLText.escape(format(entry.value))
            svg += ##"<text x="4" y="\##(y + 15)" font-size="12">\##(text)</text>"##
            svg += ##"<rect x="\##(x)" y="\##(y + 3)" width="\##(size)" height="\##(rowHeight - 6)" fill="\##(color)"/>"##
        }
        return svg + "</svg>"
    }

    /// A gauge of `used` out of `total`: the used part filled, red once all is used.
    package static func gauge(used: Int128, total: Int128) -> String {
        let width = 300
        let filled = total <= 0 ? width : Int(min(max(used, 0), total) * Int128(width) / total)
        let color = used >= total ? "#b3261e" : "#1f5fa8"
        return ##"<svg class="gauge" viewBox="0 0 \##(width) 16" width="\##(width)" height="16" role="img">"##
            + ##"<rect x="0" y="0" width="\##(width)" height="16" fill="#e4e4e4"/>"##
            + ##"<rect x="0" y="0" width="\##(filled)" height="16" fill="\##(color)"/></svg>"##
    }
}
