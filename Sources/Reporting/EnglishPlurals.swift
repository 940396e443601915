/// Phrases are written once, in the plural ("{0} seeds"); in English a count of exactly one then
/// takes the singular ("1 seed"), in the words the reports and summaries count. Chinese has no
/// plural, so its catalog needs only the one phrase.
enum EnglishPlurals {
    /// Plural → singular, for the nouns the lab counts.
    static let singular: [Substring: String] = [
        "seeds": "seed", "variants": "variant", "replications": "replication", "runs": "run", "rules": "rule", "stores": "store",
        "cities": "city", "regions": "region", "reps": "rep", "shocks": "shock", "events": "event", "alerts": "alert",
        "escalations": "escalation", "actions": "action", "accounts": "account", "customers": "customer", "days": "day",
        "weeks": "week", "hours": "hour", "months": "month", "steps": "step", "origins": "origin", "folds": "fold", "rows": "row",
        "files": "file", "points": "point", "models": "model", "targets": "target", "executions": "execution", "crashes": "crash",
        "snapshots": "snapshot", "positives": "positive", "calls": "call", "visits": "visit", "leads": "lead", "lines": "line",
        "signals": "signal", "cases": "case", "errors": "error", "features": "feature", "iterations": "iteration", "stalls": "stall",
        "alarms": "alarm", "shards": "shard", "loads": "load", "tables": "table", "tiers": "tier", "incidents": "incident",
    ]
    /// Words that may stand between the count and its noun ("1 live days", "1 test snapshots").
    static let between: Set<Substring> = ["live", "history", "test", "training", "new", "lost", "positive", "store", "city", "detector", "fired"]

    /// `text` with every "1 <plural>" (the count exactly one: not 0.1, 11, 2,001 or x1) made singular.
    static func apply(_ text: String) -> String {
        guard text.contains("1 ") else { return text }
        let chars = Array(text), n = chars.count
        /// The letters from `k` on, and where they end.
        func word(from k: Int) -> (Substring, Int) {
            var e = k
            while e < n, chars[e].isLetter { e += 1 }
            return (Substring(String(chars[k..<e])), e)
        }
        var out = "", i = 0
        while i < n {
            let c = chars[i]
            let counts = c == "1" && i + 2 < n && chars[i + 1] == " "
                && (i == 0 || !(chars[i - 1].isNumber || chars[i - 1].isLetter || ".,-_".contains(chars[i - 1])))
            if counts {
                let (w, e) = word(from: i + 2)
                if let one = singular[w] {
                    out += "1 " + one
                    i = e
                    continue
                }
                if between.contains(w), e < n, chars[e] == " " {
                    let (w2, e2) = word(from: e + 1)
                    if let one = singular[w2] {
                        out += "1 " + w + " " + one
                        i = e2
                        continue
                    }
                }
            }
            out.append(c)
            i += 1
        }
        return out
    }
}
