import Alerting
import Forecasting
import Foundation
import Reporting
import WarRoomCore

/// A deterministic mutation fuzzer for the scenario decoder and the rule parser: it mutates the
/// shipped files (bytes, lines, numbers, YAML structure) and checks that every input either
/// decodes or gives an `InputError` — a trap would end the process, which is the failure.
public enum Fuzzer {
    /// What is fuzzed.
    public enum Target: String, CaseIterable, Sendable {
        /// `Scenario.decode`.
        case scenario
        /// `RuleSet.decode`.
        case rules
        /// The CSV reader and the panel loader (daily, weekly, monthly, gaps refused or zeroed).
        case panel
        /// The CSV reader, the churn label's reader and the churn table's encoder.
        case customers
    }

    /// The outcome of a campaign.
    public struct Outcome: Sendable {
        /// What was fuzzed.
        public var target: Target
        /// Inputs tried.
        public var executions: Int
        /// Inputs that decoded.
        public var decoded: Int
        /// Inputs refused with an input error.
        public var refused: Int
        /// Seconds taken.
        public var seconds: Double

        /// Inputs tried per second.
        public var executionsPerSecond: Double { Double(executions) / max(seconds, 1e-9) }

        /// The outcome as JSON (an element of `warroom fuzz --json`); a crash ends the process,
        /// so an outcome always has none.
        public var json: JSONValue {
            .object([("target", .string(target.rawValue)), ("executions", .count(executions)), ("seconds", .double(seconds)),
                     ("decoded_inputs", .count(decoded)), ("refused_inputs", .count(refused)), ("crashes", .int(0))])
        }
    }

    static let tokens: [String] = [
        "-1", "0", "1e308", "-1e308", "99999999999999999999", "nan", ".inf", "~", "null", "\"\"", "[]", "{}", "[[[[", "]]",
        "&a", "*a", "<<: *a", "!!binary", "!!float", "'", "\"", ":", ": ", "- ", "#", "\t", "\n", "\n  ", "---", "...", "%YAML 1.1",
        "2026-02-30", "24h", "0ms", "999999999w", "> 0.5", "== 1", "sale", "customer_lost", "absence", "ratio", "zScore",
        "\u{0}", "\u{FEFF}", "中", "ё", String(repeating: "a", count: 300), String(repeating: "[", count: 80),
        ",", ",,", "\"\"\"", "\r", "\r\n", "NA", "-0", "2024-01-01", "2024-01-01T00:00:00", "1e-320", "unique_id,ds,y",
    ]

    /// One mutation of `text`, drawn from `rng`.
    static func mutate(_ text: String, _ rng: inout RandomStream) -> String {
        var lines = text.components(separatedBy: "\n")
        let count = 1 + rng.below(4)
        for _ in 0..<count {
            guard !lines.isEmpty else { lines = [tokens[rng.below(tokens.count)]]; continue }
            let i = rng.below(lines.count)
            switch rng.below(9) {
            case 0: lines.remove(at: i)
            case 1: lines.insert(lines[rng.below(lines.count)], at: i)
            case 2: lines[i] += tokens[rng.below(tokens.count)]
            case 3:
                // Replace a number in the line.
                let parts = lines[i].split(separator: " ", omittingEmptySubsequences: false).map(String.init)
                let numeric = parts.indices.filter { Double(parts[$0].trimmingCharacters(in: CharacterSet(charactersIn: ",}]"))) != nil }
                if !numeric.isEmpty {
                    let j = numeric[rng.below(numeric.count)]
                    var p = parts
                    p[j] = tokens[rng.below(6)]
                    lines[i] = p.joined(separator: " ")
                }
            case 4:
                var bytes = Array(lines[i].utf8)
                if !bytes.isEmpty { bytes[rng.below(bytes.count)] = UInt8(truncatingIfNeeded: rng.next()) }
                lines[i] = String(decoding: bytes, as: UTF8.self)
            case 5: lines[i] = String(repeating: " ", count: rng.below(8)) + lines[i].trimmingCharacters(in: .whitespaces)
            case 6: lines.swapAt(i, rng.below(lines.count))
            case 7: lines = Array(lines.prefix(i))
            default: lines.insert(tokens[rng.below(tokens.count)], at: i)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Small well-formed CSV files the `data` target starts from: panels (with a covariate, with
    /// future rows, weekly, monthly) and a customer table.
    static let dataSeeds: (panels: [String], customers: [String]) = {
        var daily = "unique_id,ds,y,promo\n", weekly = "unique_id,ds,y\n", monthly = "unique_id,ds,y\n"
        var customers = "customer,visits,region,spend,churned\n"
        let start = CivilDate(iso: "2024-01-01")!
        for s in 0..<3 {
            for t in 0..<60 { daily += "s\(s),\(start.adding(days: t)),\(100 + 7 * s + t % 7),\(t % 9 == 0 ? 1 : 0)\n" }
            daily += "s\(s),\(start.adding(days: 60)),,1\n"
            for t in 0..<30 { weekly += "w\(s),\(start.adding(days: 7 * t)),\(50 + t % 4)\n" }
            for t in 0..<36 { monthly += String(format: "m%d,%04d-%02d-01,%d\n", s, 2021 + t / 12, t % 12 + 1, 200 + t % 12) }
        }
        for i in 0..<40 { customers += "c\(i),\(i % 5),\(["East", "North", "\"South, far\""][i % 3]),\(i % 7 == 0 ? "" : String(10 * i)),\(i % 3 == 0 ? "yes" : "no")\n" }
        return ([daily, weekly, monthly], [customers])
    }()

    /// Feeds one input to the customer table's readers; throws only `InputError`s.
    static func decodeCustomers(_ input: String) throws {
        let table = try CSVTable.parse(Data(input.utf8), file: "fuzz.csv")
        let label = table.column(named: "churned") ?? 0
        _ = try? ChurnTable.binaryLabels(table, column: label)
        _ = try ChurnTable(encoding: table, skipping: [label])
    }

    /// Feeds one input to the panel readers; throws only `InputError`s.
    static func decodePanel(_ input: String) throws {
        let table = try CSVTable.parse(Data(input.utf8), file: "fuzz.csv")
        for frequency in PanelLoader.Frequency.allCases {
            _ = try? PanelLoader(frequency: frequency, gaps: .zero, minimumLength: 3).load(table)
        }
        _ = try PanelLoader(frequency: .daily, minimumLength: 3).load(table)
    }

    /// The shipped files a target starts from: every scenario, or every rule file.
    public static func seedFiles(_ target: Target, root: String = ".") throws -> [String] {
        if target == .panel { return dataSeeds.panels }
        if target == .customers { return dataSeeds.customers }
        let folder = target == .scenario ? root + "/scenarios" : root + "/scenarios/rules"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder))?.filter { $0.hasSuffix(".yaml") }.sorted() ?? []
        guard !names.isEmpty else { throw LabError("no .yaml files in \(folder) to start from") }
        return try names.map { try String(contentsOfFile: folder + "/" + $0, encoding: .utf8) }
    }

    /// Runs a campaign on `seeds` for at most `iterations` inputs or `seconds`, whichever ends first.
    ///
    /// - Parameters:
    ///   - target: which decoder is fed (scenarios, rule files or data files).
    ///   - seeds: the valid inputs mutations start from.
    ///   - iterations: the most inputs tried.
    ///   - seconds: the most time taken.
    ///   - seed: the random seed of the mutations (the same seed tries the same inputs).
    ///   - progress: every 1,024 inputs, the share of the run done (by time or by inputs,
    ///     whichever ends it first) and the inputs tried so far.
    public static func run(_ target: Target, seeds: [String], iterations: Int, seconds: Double, seed: UInt64 = 1,
                           progress: ((_ share: Double, _ executions: Int) -> Void)? = nil) -> Outcome {
        var rng = RandomStream(seed: seed, stream: .repDay, entity: [Target.scenario: 1, .rules: 2, .panel: 3, .customers: 4][target]!)
        var outcome = Outcome(target: target, executions: 0, decoded: 0, refused: 0, seconds: 0)
        let clock = Stopwatch()
        var corpus = seeds
        // Parents stay at most twice the largest seed: growth by repeated duplication would
        // otherwise slow every later execution without exploring anything new.
        let largest = 2 * (seeds.map(\.utf8.count).max() ?? 0)
        while outcome.executions < iterations && clock.seconds < seconds {
            var input = corpus[rng.below(corpus.count)]
            for _ in 0..<(1 + rng.below(3)) { input = mutate(input, &rng) }
            do {
                switch target {
                case .scenario: _ = try Scenario.decode(yaml: input, file: "fuzz.yaml")
                case .rules: _ = try RuleSet.decode(yaml: input, file: "fuzz.yaml")
                case .panel: try decodePanel(input)
                case .customers: try decodeCustomers(input)
                }
                outcome.decoded += 1
                // Inputs that still decode are good parents: keep a bounded corpus of them.
                if input.utf8.count <= largest {
                    if corpus.count < 256 { corpus.append(input) } else { corpus[rng.below(corpus.count)] = input }
                }
            } catch is InputError {
                outcome.refused += 1
            } catch {
                // Any other error type is a bug too: the decoders promise InputError.
                fatalError("\(target.rawValue) decoder threw \(type(of: error)): \(error)\n--- input ---\n\(input)")
            }
            outcome.executions += 1
            if let progress, outcome.executions & 1023 == 0 {
                progress(max(clock.seconds / seconds, Double(outcome.executions) / Double(iterations)), outcome.executions)
            }
        }
        outcome.seconds = clock.seconds
        return outcome
    }
}
