import Alerting
import Dispatch
import Foundation
import Reporting
import Synchronization
import WarRoomCore

/// `warroom sweep`: every variant of a scenario on the same seeds (common random numbers), in
/// parallel, sharded across machines if asked, resumable; then means with 95% confidence
/// intervals and paired differences to the baseline variant.
public enum Sweep {
    /// What to run.
    public struct Options: Sendable {
        public var scenarioPath: String
        /// Seeds: the scenario's seed and the next ones, `replications` of them, unless `seeds` is given.
        public var replications = 10
        public var seeds: [UInt64]?
        public var jobs = 1
        public var outDirectory = "reports"
        /// The run store the finished sweep is recorded in (nil: none).
        public var databasePath: String? = "reports/warroom.db"
        /// Run only part `index` (0-based) of `count` equal parts.
        public var shard: (index: Int, count: Int)?
        /// Skip replications already in the results file.
        public var resume = false
        public var rulesPath: String?
        /// Only these variants, in this order (the first is the baseline); nil for all.
        public var variantNames: [String]?
        /// With `jobs` > 1: run replications in worker processes of this executable (started with
        /// `workerArguments` + `--worker`) rather than threads; processes share less (allocator,
        /// caches) and scale better. Nil: threads.
        public var workerExecutable: String?
        public var workerArguments: [String] = []
        /// Language of the report (nil: the scenario's, else the locale's).
        public var language: Language?
        /// Called after each finished replication with (done, total).
        public var progress: (@Sendable (Int, Int) -> Void)?
        /// Polled between replications: stop when it returns true.
        public var shouldStop: (@Sendable () -> Bool)?
        /// Creates options.
        public init(scenarioPath: String) { self.scenarioPath = scenarioPath }
    }

    /// Parses `i/n` (1-based i, as Kubernetes and Slurm indices are turned into).
    public static func parseShard(_ text: String) throws -> (index: Int, count: Int) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, n <= 10_000, i >= 1, i <= n else {
            throw LabError("--shard must be i/n with 1 ≤ i ≤ n ≤ 10000, got '\(text)'", exitCode: LabError.invalidInput)
        }
        return (i - 1, n)
    }

    /// The plan: variants in the scenario's order × seeds in the given order.
    struct Plan: Sendable {
        var scenarioPath: String
        var scenarioText: String
        var rulesPath: String?
        var scenario: Scenario
        var variants: [ScenarioVariant]
        var seeds: [UInt64]
        var scenarioHash: String
        var tasks: [(variant: Int, seed: Int)] {
            variants.indices.flatMap { v in seeds.indices.map { (v, $0) } }
        }
    }

    static func plan(_ o: Options, text: String? = nil) throws -> Plan {
        let loaded: (scenario: Scenario, text: String)
        do {
            loaded = try text.map { (try Scenario.decode(yaml: $0, file: o.scenarioPath), $0) } ?? Scenario.load(path: o.scenarioPath)
        } catch let error as InputError {
            throw LabError(error)
        }
        try MemoryEstimate.check(loaded.scenario, file: o.scenarioPath)
        let scenario = loaded.scenario
        var variants = scenario.variants.isEmpty
            ? [ScenarioVariant(name: "baseline", description: "the scenario as written", applyActions: true, overrides: [], scenario: scenario)]
            : scenario.variants
        if let names = o.variantNames {
            variants = try names.map { name in
                guard let v = variants.first(where: { $0.name == name }) else {
                    throw LabError("no variant '\(name)' in \(o.scenarioPath) (it has: \(variants.map(\.name).joined(separator: ", ")))", exitCode: LabError.invalidInput)
                }
                return v
            }
            guard !variants.isEmpty, Set(names).count == names.count else { throw LabError("--variants must name each variant once", exitCode: LabError.invalidInput) }
        }
        guard (2...10_000).contains(o.replications) || o.seeds != nil else {
            throw LabError("--replications must be between 2 and 10000 (confidence intervals need two)", exitCode: LabError.invalidInput)
        }
        let seeds = o.seeds ?? (0..<o.replications).map { scenario.seed &+ UInt64($0) }
        guard seeds.count >= 2, Set(seeds).count == seeds.count else {
            throw LabError("--seeds must list at least two different seeds", exitCode: LabError.invalidInput)
        }
        guard (1...64).contains(o.jobs) else { throw LabError("--jobs must be between 1 and 64", exitCode: LabError.invalidInput) }
        var hashed = loaded.text
        if let rules = o.rulesPath { hashed += "\n# rules: \(rules)" }
        return Plan(scenarioPath: o.scenarioPath, scenarioText: loaded.text, rulesPath: o.rulesPath, scenario: scenario, variants: variants,
                    seeds: seeds, scenarioHash: SHA256.hex(Array(hashed.utf8)))
    }

    /// The first line of every results file: what was swept, so that `merge` needs nothing else.
    static func planLine(_ plan: Plan) -> String {
        JSONValue.object([("plan", .object([
            ("scenario_path", .string(plan.scenarioPath)), ("scenario_hash", .string(plan.scenarioHash)),
            ("rules", plan.rulesPath.map { .string($0) } ?? .null),
            ("seeds", .array(plan.seeds.map { .string(String($0)) })), ("variants", .array(plan.variants.map { .string($0.name) })),
            ("scenario_text", .string(plan.scenarioText)),
        ]))]).compact()
    }

    /// The plan written at the top of a results file.
    static func readPlan(_ url: URL) throws -> Plan {
        guard let text = try? String(contentsOf: url, encoding: .utf8), let first = text.split(separator: "\n").first,
              let data = first.data(using: .utf8), let o = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let p = o["plan"] as? [String: Any], let path = p["scenario_path"] as? String, let scenarioText = p["scenario_text"] as? String,
              let seedTexts = p["seeds"] as? [String] else {
            throw LabError("\(url.path) is not a sweep results file (its first line holds no plan)", exitCode: LabError.invalidInput)
        }
        var options = Options(scenarioPath: path)
        options.seeds = seedTexts.compactMap { UInt64($0) }
        options.rulesPath = p["rules"] as? String
        options.variantNames = p["variants"] as? [String]
        return try plan(options, text: scenarioText)
    }

    /// The results file of a sweep (or of one shard of it).
    static func resultsURL(_ o: Options, plan: Plan) -> URL {
        let name = plan.scenario.name + "-sweep" + (o.shard.map { "-shard-\($0.index + 1)-of-\($0.count)" } ?? "") + ".jsonl"
        return URL(fileURLWithPath: o.outDirectory).appendingPathComponent(name)
    }

    /// Reads the finished replications of a results file (lines cut short are ignored).
    static func readResults(_ url: URL, hash: String?) throws -> (hash: String?, runs: [SweepRun]) {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return (nil, []) }
        var runs: [SweepRun] = [], seenHash: String?
        for line in text.split(separator: "\n") {
            guard let (h, run) = SweepRun.parse(line: line) else { continue }
            if let expected = hash ?? seenHash, h != expected {
                throw LabError("\(url.path) holds results of a different scenario (or rule file): start a fresh folder or drop --resume", exitCode: LabError.invalidInput)
            }
            seenHash = h
            runs.append(run)
        }
        return (seenHash, runs)
    }

    /// What a sweep (or one shard of it) did.
    public struct Result: Sendable {
        /// The scenario's name.
        public var scenario: String
        /// Variants swept.
        public var variants: Int
        /// Seeds per variant.
        public var seeds: Int
        /// Replications run by this process (the others were in the results file already, or in other shards).
        public var replicationsRunHere: Int
        /// Replications in the results file now.
        public var replicationsInFile: Int
        /// The results file (JSON Lines).
        public var resultsPath: String
        /// Seconds taken, rounded to the millisecond.
        public var wallSeconds: Double
        /// The report folder, when the whole sweep ran here (not for a shard).
        public var reportPath: String?
        /// Per variant, each outcome's mean, 95% interval and paired difference to the baseline
        /// (when the whole sweep ran here).
        public var byVariant: JSONValue?
        /// The price of delay's verdict and data ages, when some variant delivers its data late.
        public var priceOfDelay: JSONValue?

        /// The summary as JSON (`warroom sweep --json`).
        public var json: JSONValue {
            var fields: [(String, JSONValue)] = [
                ("scenario", .string(scenario)), ("variants", .count(variants)), ("seeds", .count(seeds)),
                ("run_here_replications", .count(replicationsRunHere)), ("in_file_replications", .count(replicationsInFile)),
                ("results", .string(resultsPath)), ("wall_seconds", .double(wallSeconds)),
            ]
            if let reportPath { fields.append(("report", .string(reportPath))) }
            if let byVariant { fields.append(("by_variant", byVariant)) }
            if let priceOfDelay { fields.append(("price_of_delay", priceOfDelay)) }
            return .object(fields)
        }
    }

    /// What `merge` combined.
    public struct MergeResult: Sendable {
        /// The results files read.
        public var files: [String]
        /// Replications in them.
        public var replications: Int
        /// The report folder.
        public var reportPath: String

        /// The summary as JSON (`warroom merge --json`).
        public var json: JSONValue {
            .object([("files", .array(files.map { .string($0) })), ("replications", .count(replications)), ("report", .string(reportPath))])
        }
    }

    /// Runs the sweep (or its shard); writes the report when the whole sweep ran here.
    public static func run(_ o: Options) throws -> Result {
        let wall = Stopwatch()
        let plan = try plan(o)
        let rules: [String: RuleSet?] = try Dictionary(uniqueKeysWithValues: plan.variants.map { v in
            var options = RunPipeline.Options(scenarioPath: o.scenarioPath)
            options.rulesPath = o.rulesPath
            return (v.name, try RunPipeline.loadRules(options: options, scenario: v.scenario))
        })
        let all = plan.tasks
        let mine = o.shard.map { s in all.enumerated().filter { $0.offset % s.count == s.index }.map(\.element) } ?? all
        let url = resultsURL(o, plan: plan)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        var done: [SweepRun] = []
        if o.resume {
            done = try readResults(url, hash: plan.scenarioHash).runs
        } else if FileManager.default.fileExists(atPath: url.path) {
            try FileManager.default.removeItem(at: url)
        }
        let finished = Set(done.map { "\($0.variant)\u{0}\($0.seed)" })
        let todo = mine.filter { !finished.contains("\(plan.variants[$0.variant].name)\u{0}\(plan.seeds[$0.seed])") }
        let writer = try ResultsWriter(url, header: planLine(plan))
        let next = Atomic<Int>(0), failures = Mutex<[String]>([]), completed = Atomic<Int>(mine.count - todo.count)
        let workers = min(o.jobs, max(1, todo.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var process: WorkerProcess?
            if workers > 1, let executable = o.workerExecutable {
                do { process = try WorkerProcess(executable: executable, arguments: o.workerArguments + ["--worker"]) } catch {
                    failures.withLock { $0.append("cannot start a worker: \(error)") }
                    return
                }
            }
            defer { process?.finish() }
            while true {
                if o.shouldStop?() == true { return }
                let k = next.add(1, ordering: .relaxed).oldValue
                guard k < todo.count, failures.withLock({ $0.isEmpty }) else { return }
                let task = todo[k]
                let variant = plan.variants[task.variant]
                do {
                    let line: String
                    if let process {
                        guard let answer = try process.run(variant: task.variant, seed: task.seed) else {
                            if o.shouldStop?() == true { return }
                            throw LabError("the worker process ended without an answer")
                        }
                        line = answer
                    } else {
                        line = try SweepRun.run(variant, seed: plan.seeds[task.seed], ruleSet: rules[variant.name] ?? nil).jsonLine(scenarioHash: plan.scenarioHash)
                    }
                    guard SweepRun.parse(line: Substring(line)) != nil else { throw LabError("a worker answered something that is not a result: \(line.prefix(80))") }
                    try writer.append(line)
                    let n = completed.add(1, ordering: .relaxed).newValue
                    o.progress?(n, mine.count)
                } catch {
                    failures.withLock { $0.append("\(variant.name), seed \(plan.seeds[task.seed]): \(error)") }
                }
            }
        }
        writer.close()
        if let failure = failures.withLock({ $0.first }) { throw LabError("sweep replication failed: \(failure)") }
        let results = try readResults(url, hash: plan.scenarioHash).runs
        if o.shouldStop?() == true {
            throw LabError("sweep interrupted: \(results.count) of \(mine.count) replications kept in \(url.path); run again with --resume to finish",
                           exitCode: LabError.interrupted)
        }
        var summary = Result(scenario: plan.scenario.name, variants: plan.variants.count, seeds: plan.seeds.count, replicationsRunHere: todo.count,
                             replicationsInFile: results.count, resultsPath: url.path, wallSeconds: Figure.rounded(wall.seconds, scale: 1000))
        if o.shard == nil {
            let written = try SweepReport.write(plan: plan, runs: results, outDirectory: o.outDirectory, databasePath: o.databasePath,
                                                language: Language.choose(o.language, scenario: plan.scenario.language))
            summary.reportPath = written.folder.path
            summary.byVariant = written.byVariant
            summary.priceOfDelay = written.priceOfDelay
        }
        return summary
    }

    /// `warroom merge`: the results files of a sweep's shards (files, or folders holding them)
    /// into the very report a single machine writes. The plan comes from the files themselves.
    public static func merge(inputs: [String], outDirectory: String, databasePath: String? = "reports/warroom.db",
                             language: Language? = nil) throws -> MergeResult {
        var files: [URL] = []
        for input in inputs {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else { throw LabError("\(input): no such file or folder", exitCode: LabError.invalidInput) }
            if isDirectory.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: input).filter { $0.contains("-sweep") && $0.hasSuffix(".jsonl") }.sorted()
                files += names.map { URL(fileURLWithPath: input).appendingPathComponent($0) }
            } else {
                files.append(URL(fileURLWithPath: input))
            }
        }
        guard let first = files.first else { throw LabError("no sweep results files (*-sweep*.jsonl) in \(inputs.joined(separator: ", "))", exitCode: LabError.invalidInput) }
        let plan = try readPlan(first)
        var runs: [SweepRun] = []
        for f in files {
            let other = try readPlan(f)
            guard other.scenarioHash == plan.scenarioHash, other.seeds == plan.seeds, other.variants.map(\.name) == plan.variants.map(\.name) else {
                throw LabError("\(f.path) belongs to another sweep (scenario or seeds differ from \(first.path))", exitCode: LabError.invalidInput)
            }
            runs += try readResults(f, hash: plan.scenarioHash).runs
        }
        let written = try SweepReport.write(plan: plan, runs: runs, outDirectory: outDirectory, databasePath: databasePath,
                                            language: Language.choose(language, scenario: plan.scenario.language))
        return MergeResult(files: files.map(\.path), replications: runs.count, reportPath: written.folder.path)
    }
}

extension Sweep {
    /// The worker side of `--jobs N`: reads "variant seed" index pairs from standard input, runs
    /// each replication and answers with its results line on standard output.
    public static func worker(_ o: Options) throws {
        let plan = try plan(o)
        var cache: [String: RuleSet?] = [:]
        while let line = readLine() {
            let parts = line.split(separator: " ").compactMap { Int($0) }
            guard parts.count == 2, plan.variants.indices.contains(parts[0]), plan.seeds.indices.contains(parts[1]) else {
                throw LabError("worker: bad task '\(line)'")
            }
            let variant = plan.variants[parts[0]]
            if cache[variant.name] == nil {
                var options = RunPipeline.Options(scenarioPath: o.scenarioPath)
                options.rulesPath = o.rulesPath
                cache[variant.name] = .some(try RunPipeline.loadRules(options: options, scenario: variant.scenario))
            }
            let result = try SweepRun.run(variant, seed: plan.seeds[parts[1]], ruleSet: cache[variant.name]!)
            print(result.jsonLine(scenarioHash: plan.scenarioHash))
            fflush(nil)
        }
    }
}

/// A worker process of a sweep: one task in, one results line out.
final class WorkerProcess {
    let process = Process()
    let input = Pipe(), output = Pipe()
    var buffer = Data()

    init(executable: String, arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        try process.run()
    }

    /// Runs one replication; nil when the worker ended (e.g. it was interrupted).
    func run(variant: Int, seed: Int) throws -> String? {
        try input.fileHandleForWriting.write(contentsOf: Data("\(variant) \(seed)\n".utf8))
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer = Data(buffer[buffer.index(after: newline)...])
                return line
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }

    /// Closes the task stream and waits for the worker to end.
    func finish() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

/// Appends results lines, each written whole and flushed, so a killed sweep keeps every
/// replication it finished.
final class ResultsWriter: @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()

    init(_ url: URL, header: String) throws {
        // A file that cannot be created shows in the open below.
        if !FileManager.default.fileExists(atPath: url.path) { _ = FileManager.default.createFile(atPath: url.path, contents: Data((header + "\n").utf8)) }
        guard let h = try? FileHandle(forUpdating: url) else { throw LabError("cannot write \(url.path)") }
        handle = h
        // A line cut short by a kill ends the file: start on a fresh line.
        let end = try h.seekToEnd()
        if end > 0 {
            try h.seek(toOffset: end - 1)
            let last = try h.read(upToCount: 1)
            try h.seekToEnd()
            if last != Data("\n".utf8) { try h.write(contentsOf: Data("\n".utf8)) }
        }
    }

    func append(_ line: String) throws {
        lock.lock()
        defer { lock.unlock() }
        try handle.write(contentsOf: Data((line + "\n").utf8))
        try handle.synchronize()
    }

    func close() { try? handle.close() }
}
