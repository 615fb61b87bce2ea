/// The style sheet of the report, the statement and the dashboard: plain, readable, printable.
package enum PageStyle {
    package static let css = """
        body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #111; }
        table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
        th, td { padding: 0.2em 0.8em; border-bottom: 1px solid #ccc; text-align: left; vertical-align: top; }
        .n { text-align: right; font-variant-numeric: tabular-nums; }
        h2 { margin-top: 1.5em; }
        section { break-inside: avoid; }
        nav a, nav form { margin-right: 1.2em; display: inline; }
        nav { border-bottom: 1px solid #ccc; padding-bottom: 0.6em; }
        pre { background: #f6f6f6; padding: 0.8em; overflow-x: auto; }
        .diff del { color: #b3261e; text-decoration: none; display: block; background: #fbe9e7; }
        .diff ins { color: #1b5e20; text-decoration: none; display: block; background: #e8f5e9; }
        .diff span { display: block; }
        .error { color: #b3261e; }
        tr.total td { font-weight: bold; border-top: 2px solid #111; }
        @media print { body { margin: 0; } nav { display: none; } }
        """
}
