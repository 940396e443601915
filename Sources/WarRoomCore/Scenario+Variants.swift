import Yams

extension Scenario {
    /// Decodes the `variants:` list: each variant's `set:` overrides are written into a copy of
    /// the scenario's YAML tree at their field paths, and the result is decoded like the scenario
    /// itself, so an override gets the same checks and the same clear errors, located at the
    /// override's own line.
    ///
    /// ```yaml
    /// variants:
    ///   - name: baseline
    ///   - name: twice-as-hard
    ///     set: { competitors.shocks[0].churnMultiplier: 8, competitors.shocks[0].trafficEffect: -0.24 }
    ///   - name: no-playbook
    ///     playbook: off
    /// ```
    static func decodeVariants(_ value: YAMLValue, root: YAMLValue) throws -> [ScenarioVariant] {
        let items = try value.sequence(minCount: 1, maxCount: 100)
        var base = root.node
        base.mapping?["variants"] = nil
        var names: Set<String> = []
        return try items.map { item in
            try item.expectKeys(["name", "description", "set", "playbook"])
            let nameValue = try item.require("name")
            let name = try nameValue.identifier(maxLength: 64)
            guard names.insert(name).inserted else { throw nameValue.error("duplicate variant name '\(name)'") }
            let description = try item.optional("description")?.string() ?? ""
            let playbook = try item.optional("playbook").map { try $0.bool() } ?? true
            var node = base
            var written: [String] = []
            for (path, override) in try item.optional("set")?.mapping() ?? [] {
                let steps = try parsePath(path, at: override)
                node = try write(override.node, into: node, steps: steps[...], full: path, at: override)
                written.append("\(path) = \((try? override.string()) ?? "…")")
            }
            do {
                var scenario = try decode(root: YAMLValue(node: node, path: "", file: root.file, budget: YAMLValue.VisitBudget(YAMLValue.maximumNodes), depth: 0))
                scenario.variants = []
                return ScenarioVariant(name: name, description: description, applyActions: playbook, overrides: written, scenario: scenario)
            } catch var error as InputError {
                error.message = "in variant '\(name)': \(error.message)"
                throw error
            }
        }
    }

    /// A field path as keys and list indices: `competitors.shocks[0].churnMultiplier`.
    enum PathStep { case key(String), index(Int) }

    static func parsePath(_ path: String, at value: YAMLValue) throws -> [PathStep] {
        var steps: [PathStep] = []
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            guard let keyEnd = rest.firstIndex(of: "[") ?? Optional(rest.endIndex) else { continue }
            let key = rest[..<keyEnd]
            guard !key.isEmpty else { throw value.error("'\(path)' is not a field path (write e.g. competitors.shocks[0].churnMultiplier)") }
            steps.append(.key(String(key)))
            rest = rest[keyEnd...]
            while !rest.isEmpty {
                guard rest.first == "[", let close = rest.firstIndex(of: "]"), let i = Int(rest[rest.index(after: rest.startIndex)..<close]), i >= 0 else {
                    throw value.error("'\(path)' is not a field path (write e.g. competitors.shocks[0].churnMultiplier)")
                }
                steps.append(.index(i))
                rest = rest[rest.index(after: close)...]
            }
        }
        return steps
    }

    /// `node` with `value` written at `steps`; a missing last key is added (the decoder then
    /// says whether the field exists), a missing intermediate field or index is an error.
    static func write(_ value: Node, into node: Node, steps: ArraySlice<PathStep>, full: String, at override: YAMLValue) throws -> Node {
        guard let step = steps.first else { return value }
        var node = node
        switch step {
        case .key(let key):
            guard var mapping = node.mapping else { throw override.error("'\(key)' is inside something that is not a mapping") }
            let child = mapping[key]
            if child == nil && steps.count > 1 { throw override.error("the scenario has no field '\(key)' there") }
            let written = try write(value, into: child ?? value, steps: steps.dropFirst(), full: full, at: override)
            if child == nil {
                // A new key carries the override's position, so the decoder's "unknown field" points at it.
                mapping[.scalar(.init(key, .implicit, .plain, override.node.mark))] = written
            } else {
                mapping[key] = written
            }
            node.mapping = mapping
        case .index(let i):
            guard var sequence = node.sequence else { throw override.error("[\(i)] indexes something that is not a list") }
            guard i < sequence.count else { throw override.error("index \(i) is past the end of a list of \(sequence.count)") }
            sequence[i] = try write(value, into: sequence[i], steps: steps.dropFirst(), full: full, at: override)
            node.sequence = sequence
        }
        return node
    }
}
