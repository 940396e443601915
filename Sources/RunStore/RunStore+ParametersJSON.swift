import Foundation

extension RunStore {
    /// Writes `parameters_json` for the actions stored before it existed, from their
    /// `parameters` text (`key=value key=value`, in the rule file's order; a value may hold
    /// spaces: a word without `=` belongs to the value before it).
    func fillParametersJSON() throws {
        let read = try db.prepare("SELECT run, alert_seq, action, parameters FROM actions WHERE parameters_json IS NULL")
        var rows: [(run: Int64, seq: Int64, action: String, text: String)] = []
        while try read.next() { rows.append((read.int(0), read.int(1), read.text(2) ?? "", read.text(3) ?? "")) }
        read.reset()
        // The table has no rowid: its rows are named by their primary key.
        let write = try db.prepare("UPDATE actions SET parameters_json = ? WHERE run = ? AND alert_seq = ? AND action = ?")
        for r in rows {
            write.bind(1, Self.parametersJSON(fromText: r.text))
            write.bind(2, r.run)
            write.bind(3, r.seq)
            write.bind(4, r.action)
            try write.run()
        }
    }

    /// The JSON object (compact, keys in their order) of an action's `key=value key=value` text.
    static func parametersJSON(fromText text: String) -> String {
        var pairs: [(String, String)] = []
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if let eq = word.firstIndex(of: "="), eq != word.startIndex {
                pairs.append((String(word[..<eq]), String(word[word.index(after: eq)...])))
            } else if !pairs.isEmpty {
                pairs[pairs.count - 1].1 += " " + word
            }
        }
        return "{" + pairs.map { quote($0.0) + ":" + quote($0.1) }.joined(separator: ",") + "}"
    }

    /// A JSON string literal.
    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
