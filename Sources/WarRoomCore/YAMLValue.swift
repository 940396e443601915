import Yams

/// A YAML node with its position and field path, read with checks that produce `InputError`s.
///
/// Decoding through `YAMLValue` rather than `Codable` keeps the line, column and path of every
/// field, so each error can say exactly where it is. It also bounds the work a hostile document
/// can cause: nesting depth and the number of nodes visited (aliases expand) are capped.
public struct YAMLValue {
    /// The underlying Yams node (internal: Yams stays an implementation detail of Core).
    let node: Node
    /// Field path from the document root, e.g. `world.regions[0].name`.
    public let path: String
    let file: String
    let budget: VisitBudget
    let depth: Int

    /// Whether the value is a sequence (`- a`, `[a, b]`).
    public var isSequence: Bool { if case .sequence = node { return true } else { return false } }
    /// Whether the value is a mapping (`a: 1`, `{a: 1}`).
    public var isMapping: Bool { if case .mapping = node { return true } else { return false } }

    /// Largest nesting depth accepted.
    public static let maximumDepth = 64
    /// Largest number of nodes a document may expand to (aliases count each time they are used).
    public static let maximumNodes = 1_000_000

    /// Counts the nodes visited in one document, shared by every value read from it.
    final class VisitBudget {
        var remaining: Int
        init(_ n: Int) { remaining = n }
    }

    /// Parses `text` as one YAML document read from `file`.
    ///
    /// - Throws: `InputError` for a syntax error (with Yams's position) or an empty document.
    public static func parse(_ text: String, file: String) throws -> YAMLValue {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        } catch {
            throw InputError(location: .init(file: file, line: 0, column: 0), path: "", message: "cannot read YAML: \(error)")
        }
        guard let root else {
            throw InputError(location: .init(file: file, line: 1, column: 1), path: "", message: "the document is empty")
        }
        return YAMLValue(node: root, path: "", file: file, budget: VisitBudget(maximumNodes), depth: 0)
    }

    private static func syntaxError(_ error: YamlError, file: String) -> InputError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return InputError(location: .init(file: file, line: mark.line, column: mark.column), path: "",
                              message: "YAML syntax error: \(what)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let names = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return InputError(location: .init(file: file, line: context.mark.line, column: context.mark.column), path: "",
                              message: "duplicate key \(names)")
        case let .reader(problem, _, _, _):
            return InputError(location: .init(file: file, line: 0, column: 0), path: "", message: "cannot read the file as YAML text: \(problem)")
        default:
            return InputError(location: .init(file: file, line: 0, column: 0), path: "", message: "YAML error: \(error)")
        }
    }

    /// The node's position in the file.
    public var location: SourceLocation {
        let mark = node.mark
        return SourceLocation(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0)
    }

    /// An error located at this value.
    public func error(_ message: String) -> InputError {
        InputError(location: location, path: path, message: message)
    }

    private func child(_ node: Node, path: String) throws -> YAMLValue {
        budget.remaining -= 1
        if budget.remaining < 0 {
            throw error("the document expands to more than \(Self.maximumNodes) nodes (alias bomb?)")
        }
        if depth + 1 > Self.maximumDepth {
            throw error("nesting deeper than \(Self.maximumDepth) levels")
        }
        return YAMLValue(node: node, path: path, file: file, budget: budget, depth: depth + 1)
    }

    private func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    // MARK: Mappings

    /// The mapping's entries in document order; rejects duplicate keys and non-string keys.
    public func mapping() throws -> [(key: String, value: YAMLValue)] {
        guard case let .mapping(mapping) = node else {
            throw error("expected a mapping (key: value lines), got \(kindName)")
        }
        var seen = Set<String>()
        var out: [(key: String, value: YAMLValue)] = []
        for (k, v) in mapping {
            guard case let .scalar(scalar) = k else {
                throw error("mapping keys must be plain names")
            }
            let key = scalar.string
            if !seen.insert(key).inserted {
                let at = SourceLocation(file: file, line: k.mark?.line ?? 0, column: k.mark?.column ?? 0)
                throw InputError(location: at, path: keyPath(key), message: "duplicate key '\(key)'")
            }
            out.append((key, try child(v, path: keyPath(key))))
        }
        return out
    }

    /// Checks that a mapping holds only the given keys, naming the first unknown one.
    public func expectKeys(_ allowed: [String]) throws {
        guard case let .mapping(mapping) = node else {
            throw error("expected a mapping (key: value lines), got \(kindName)")
        }
        for (k, _) in mapping {
            let key = k.string ?? "?"
            if !allowed.contains(key) {
                let at = SourceLocation(file: file, line: k.mark?.line ?? 0, column: k.mark?.column ?? 0)
                let hint = Self.closest(key, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
                throw InputError(location: at, path: keyPath(key),
                                 message: "unknown field\(hint); expected one of: \(allowed.joined(separator: ", "))")
            }
        }
    }

    /// The value under `key`, or nil when the key is absent or written as null (`~`, `null`).
    /// A key with nothing after it (`cooldown:`) is an error, not a default: it is how a file cut
    /// short, or a value left out by mistake, looks.
    public func optional(_ key: String) throws -> YAMLValue? {
        guard case let .mapping(mapping) = node else {
            throw error("expected a mapping (key: value lines), got \(kindName)")
        }
        guard let value = mapping[key] else { return nil }
        if case let .scalar(s) = value, s.style == .plain, s.string.isEmpty {
            throw try child(value, path: keyPath(key)).error("has no value: write one, or leave the field out for its default")
        }
        if case let .scalar(s) = value, s.style == .plain, ["~", "null", "Null", "NULL"].contains(s.string) { return nil }
        return try child(value, path: keyPath(key))
    }

    /// The value under `key`; a missing key is an error located at this mapping.
    public func require(_ key: String) throws -> YAMLValue {
        guard let value = try optional(key) else {
            throw InputError(location: location, path: keyPath(key), message: "missing required field")
        }
        return value
    }

    // MARK: Sequences

    /// The sequence's items, each with its indexed path.
    public func sequence(minCount: Int = 0, maxCount: Int = 100_000) throws -> [YAMLValue] {
        guard case let .sequence(seq) = node else {
            throw error("expected a list, got \(kindName)")
        }
        if seq.count < minCount { throw error("needs at least \(minCount) item\(minCount == 1 ? "" : "s"), got \(seq.count)") }
        if seq.count > maxCount { throw error("holds at most \(maxCount) items, got \(seq.count)") }
        var out: [YAMLValue] = []
        out.reserveCapacity(seq.count)
        for (i, item) in seq.enumerated() {
            out.append(try child(item, path: "\(path)[\(i)]"))
        }
        return out
    }

    // MARK: Scalars

    /// The scalar's text.
    public func string() throws -> String {
        guard case let .scalar(s) = node else { throw error("expected a text value, got \(kindName)") }
        return s.string
    }

    /// A non-empty name of at most `maxLength` characters, free of control characters.
    public func name(maxLength: Int = 80) throws -> String {
        let s = try string()
        if s.isEmpty { throw error("must not be empty") }
        if s.count > maxLength { throw error("must be at most \(maxLength) characters, got \(s.count)") }
        if s.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw error("must not contain control characters")
        }
        return s
    }

    /// A name used in file and folder names: letters a–z, digits, `-` and `_` only.
    public func identifier(maxLength: Int = 64) throws -> String {
        let s = try name(maxLength: maxLength)
        if !s.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }) {
            throw error("may hold only letters a–z, digits, '-' and '_', got '\(s)'")
        }
        return s
    }

    /// An integer in `range`.
    public func int(in range: ClosedRange<Int>) throws -> Int {
        guard case let .scalar(s) = node else { throw error("expected a whole number, got \(kindName)") }
        let text = s.string.replacingOccurrences(of: "_", with: "")
        guard let v = Int(text) else { throw error("expected a whole number, got '\(s.string)'") }
        guard range.contains(v) else { throw error(Self.rangeMessage(range.lowerBound, range.upperBound, got: "\(v)")) }
        return v
    }

    /// A finite number in `range`.
    public func double(in range: ClosedRange<Double>) throws -> Double {
        guard case let .scalar(s) = node else { throw error("expected a number, got \(kindName)") }
        let text = s.string.replacingOccurrences(of: "_", with: "")
        guard let v = Double(decimal: text) else { throw error("expected a finite number, got '\(s.string)'") }
        guard range.contains(v) else { throw error(Self.rangeMessage(range.lowerBound, range.upperBound, got: s.string)) }
        return v
    }

    /// `true` or `false`.
    public func bool() throws -> Bool {
        guard case let .scalar(s) = node else { throw error("expected true or false, got \(kindName)") }
        switch s.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false, got '\(s.string)'")
        }
    }

    /// One of the given words.
    public func oneOf(_ choices: [String]) throws -> String {
        let s = try string()
        guard choices.contains(s) else {
            throw error("expected one of \(choices.joined(separator: ", ")), got '\(s)'")
        }
        return s
    }

    private static func rangeMessage<T: Comparable>(_ lo: T, _ hi: T, got: String) -> String {
        "must be ≥ \(lo) and ≤ \(hi), got \(got)"
    }

    private var kindName: String {
        switch node {
        case .scalar(let s): return s.string.isEmpty ? "nothing" : "the text '\(s.string.prefix(40))'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// The allowed word nearest to `word` by edit distance, when it is close enough to be a typo.
    static func closest(_ word: String, in words: [String]) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            if a.isEmpty { return b.count }
            var prev = Array(0...b.count)
            for i in 1...a.count {
                var cur = [i] + Array(repeating: 0, count: b.count)
                for j in stride(from: 1, through: b.count, by: 1) {
                    cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                }
                prev = cur
            }
            return prev[b.count]
        }
        let w = Array(word.lowercased())
        let best = words.map { ($0, distance(w, Array($0.lowercased()))) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= max(2, w.count / 3) else { return nil }
        return best.0
    }
}
