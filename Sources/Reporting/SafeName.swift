/// File and folder names built from user input, made safe: a name can never climb out of the
/// folder it is put in or hide itself.
public enum SafeName {
    /// One path component: letters, digits, `-`, `_` and `.` kept, anything else (including `/`)
    /// turned into `_`, no leading dot, at most 64 characters; `fallback` when nothing is left.
    public static func component(_ raw: String, fallback: String = "data") -> String {
        var out = String(raw.unicodeScalars.map { s -> Character in
            let ok = ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || s == "-" || s == "_" || s == "."
            return ok ? Character(s) : "_"
        })
        while out.hasPrefix(".") { out.removeFirst() }
        out = String(out.prefix(64))
        return out.isEmpty || out.allSatisfy({ $0 == "_" }) ? fallback : out
    }
}

/// Fields of the CSV files the lab writes (RFC 4180).
public enum CSVWriter {
    /// A text field, quoted when it holds a comma, a quote or a line break.
    public static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A number with up to 10 significant digits; empty for NaN or infinity.
    public static func number(_ v: Double) -> String {
        guard v.isFinite else { return "" }
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        var s = String(format: "%.10g", v)
        if s.contains("e") { return s }
        while s.contains(".") && s.hasSuffix("0") { s.removeLast() }
        return s
    }
}
