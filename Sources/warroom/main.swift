import ArgumentParser
import Foundation
import Synchronization
import Reporting
import WarRoomCore
import WarRoomLab

/// The `warroom` command line: parsing and printing only; the work is in WarRoomLab.
struct WarRoom: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warroom",
        abstract: "A simulation and forecasting lab for real-time sales operations.",
        subcommands: [Run.self, Sweep.self, Merge.self, Backtest.self, Forecast.self, Churn.self, Stream.self, Validate.self, Runs.self, ReportCommand.self, Compare.self, Export.self, Bench.self, Fuzz.self, Soak.self]
    )
}

/// Prints a lab error and exits with its status.
func fail(_ error: Error) -> Never {
    let message = (error as? LabError)?.description ?? "\(error)"
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit((error as? LabError)?.exitCode ?? 1)
}

/// Set by SIGINT or SIGTERM: long commands stop at the next safe point.
let stopRequested = Atomic<Bool>(false)

/// Installs the stop handlers: the first signal asks for a clean stop, a second one exits at once
/// (the run store's write-ahead log keeps the file sound either way).
func installStopHandlers() {
    var set = sigset_t()
    sigemptyset(&set)
    for sig in [SIGINT, SIGTERM] {
        signal(sig) { _ in
            if stopRequested.exchange(true, ordering: .relaxed) { _exit(130) }
        }
        sigaddset(&set, sig)
    }
    // A parent may have started us with these signals blocked (some launchers do): unblock them.
    sigprocmask(SIG_UNBLOCK, &set, nil)
}

/// Whether standard output is a terminal (progress lines only then).
let stdoutIsTerminal = isatty(1) == 1

/// A one-line progress bar on the terminal: share done, rate and time left, redrawn at most five
/// times a second; silent when standard output is not a terminal (logs and pipes get only the
/// final summary). Safe to update from several threads.
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private let started = Date()
    private var last = -1.0
    private let enabled: Bool
    private let width = 28

    /// A bar shown only on a terminal and when not `quiet`.
    init(quiet: Bool = false) { enabled = stdoutIsTerminal && !quiet }

    /// Redraws the bar: `done` of `total` work units, `detail` after it (e.g. a rate).
    func update(done: Double, total: Double, detail: String) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let elapsed = Date().timeIntervalSince(started)
        guard elapsed - last >= 0.2 || done >= total else { return }
        last = elapsed
        let share = total > 0 ? min(1, max(0, done / total)) : 1
        let filled = Int((share * Double(width)).rounded(.down))
        let left = share > 0 && share < 1 ? elapsed / share * (1 - share) : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let line = String(format: " %@ %3.0f%% · %@ · %.0f s, ~%.0f s left", bar, share * 100, detail, elapsed, left)
        print("\r" + line.padding(toLength: max(line.count, 100), withPad: " ", startingAt: 0), terminator: "")
        fflush(nil)
    }

    /// Clears the bar's line.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        guard enabled, last >= 0 else { return }
        print("\r" + String(repeating: " ", count: 100) + "\r", terminator: "")
        fflush(nil)
    }
}

/// `--quiet`: nothing on standard output (errors still go to standard error); the exit status
/// says how it went.
struct QuietOption: ParsableArguments {
    @Flag(help: "Print nothing on standard output (errors still go to standard error); the exit status says how it went.")
    var quiet = false

    /// Sends standard output to /dev/null when quiet.
    func apply() {
        guard quiet else { return }
        let null = open("/dev/null", O_WRONLY)
        if null >= 0 { dup2(null, 1); close(null) }
    }
}

extension Language: ExpressibleByArgument {}

/// `--lang zh|en`: the language of reports, summaries and chart labels.
struct LanguageOption: ParsableArguments {
    @Option(name: .customLong("lang"), help: "Language of the report: zh or en (default: the scenario's `language:`, else the locale's).")
    var language: Language?
}

extension WarRoom {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Simulate a scenario, store the run and write its report folder.",
            discussion: "Writes DIR/<scenario-name>-s<seed>/ with index.html, summary.md and metrics.json, and records the run in the run store."
        )

        @Argument(help: "The scenario file (YAML).")
        var scenario: String

        @Option(help: "Seed (default: the scenario's).")
        var seed: UInt64?

        @Option(name: .customLong("out"), help: "Folder under which the report folder is written.")
        var out = "reports"

        @Option(help: "Run store file (SQLite).")
        var db = "reports/warroom.db"

        @Flag(help: "Also store the full event log in the run store.")
        var recordEvents = false

        @OptionGroup var alerts: AlertOptions

        @OptionGroup var languageOption: LanguageOption

        @Flag(help: "Print the metrics as JSON instead of the summary lines.")
        var json = false

        @OptionGroup var quietOption: QuietOption

        func run() {
            quietOption.apply()
            var options = RunPipeline.Options(scenarioPath: scenario)
            options.language = languageOption.language
            options.seed = seed
            options.outDirectory = out
            options.databasePath = db
            options.recordEvents = recordEvents
            options.rulesPath = alerts.rules
            options.applyActions = !alerts.noActions
            options.shouldStop = { stopRequested.load(ordering: .relaxed) }
            installStopHandlers()
            let bar = ProgressBar(quiet: quietOption.quiet || json)
            options.progress = { p in
                let rate = p.liveSeconds > 0 ? Double(p.events) / p.liveSeconds / 1e6 : 0
                bar.update(done: Double(p.daysDone), total: Double(p.daysTotal),
                           detail: "\(p.date) (\(p.isLive ? "live" : "history")) · " + String(format: "%.1f M events/s", rate))
            }
            do {
                let outcome = try RunPipeline.run(options)
                bar.finish()
                if quietOption.quiet && !json { return }
                if json {
                    print(outcome.metrics.json.rendered(), terminator: "")
                    return
                }
                let m = outcome.metrics.json
                func number(_ path: String) -> Double? {
                    switch m[path: path] {
                    case .int(let v)?: return Double(v)
                    case .double(let v)?: return v
                    default: return nil
                    }
                }
                func count(_ path: String) -> String { number(path).map { Format.count(Int($0)) } ?? "n/a" }
                func share(_ path: String) -> String { number(path).map { String(format: "%.1f%%", $0 * 100) } ?? "n/a" }
                let digest: String
                if case .string(let d)? = m[path: "run.event_digest"] { digest = d } else { digest = "n/a" }
                print("run:      \(outcome.runID)")
                print("events:   \(count("run.events")) live events, digest \(digest)")
                print("speed:    " + (number("simulation.events_per_second").map { String(format: "%.1f M events/s", $0 / 1e6) } ?? "n/a")
                      + " (live window); run took " + (number("simulation.run_wall_seconds").map { String(format: "%.1f s", $0) } ?? "n/a")
                      + ", peak memory " + (number("simulation.peak_rss_mib").map { String(format: "%.0f MiB", $0) } ?? "n/a"))
                if case .object? = m[path: "alerts"] {
                    print("alerts:   \(count("alerts.fired")) fired, \(count("alerts.escalated")) escalated; detector precision \(share("alerts.precision")), recall \(share("alerts.recall"))")
                }
                if let accuracy = number("forecast.accuracy") {
                    print("models:   forecast accuracy " + String(format: "%.1f%%", accuracy * 100) + " (oracle " + share("forecast.oracle_accuracy")
                          + "); churn AUC " + (number("churn_model.auc").map { String(format: "%.3f", $0) } ?? "n/a")
                          + " (oracle " + (number("churn_model.oracle_auc").map { String(format: "%.3f", $0) } ?? "n/a") + ")")
                }
                print("report:   \(outcome.reportPath)/index.html")
            } catch {
                bar.finish()
                fail(error)
            }
        }
    }

    struct Sweep: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run every variant of a scenario on the same seeds; means, 95% intervals and paired differences to the baseline.",
            discussion: """
                Results go, one line per finished replication, to DIR/<name>-sweep[-shard-i-of-n].jsonl; the report to DIR/<name>-sweep/. \
                SIGINT or SIGTERM stop after the replications in progress; --resume continues. --shard i/n runs the i-th of n equal \
                parts (for a Kubernetes Indexed Job or a Slurm job array); `warroom merge` combines the parts.
                """)

        @Argument(help: "Scenario file (YAML) with `variants:`.")
        var scenario: String
        @Option(help: "Seeds per variant: the scenario's seed and the next ones.")
        var replications = 10
        @Option(parsing: .upToNextOption, help: "Explicit seeds instead of --replications.")
        var seeds: [UInt64] = []
        @Option(help: "Replications run at once.")
        var jobs = 1
        @Option(help: "Output folder.")
        var out = "reports"
        @Option(help: "Run only part i of n (1-based), e.g. 2/3.")
        var shard: String?
        @Option(help: "Run store (SQLite) the finished sweep is recorded in.")
        var db = "reports/warroom.db"
        @Flag(help: "Keep the replications already in the results file and run the rest.")
        var resume = false
        @Option(help: "Alert rule file (default: each variant's `rules:`).")
        var rules: String?
        @Option(help: "Only these variants, comma-separated, the first as baseline (default: all).")
        var variants: String?
        @OptionGroup var languageOption: LanguageOption
        @OptionGroup var quietOption: QuietOption
        @Flag(help: "Print the summary as JSON.")
        var json = false
        @Flag(help: .hidden)
        var worker = false

        func run() {
            quietOption.apply()
            do {
                var options = WarRoomLab.Sweep.Options(scenarioPath: scenario)
                options.variantNames = variants.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
                options.replications = replications
                options.seeds = seeds.isEmpty ? nil : seeds
                options.jobs = jobs
                options.outDirectory = out
                options.databasePath = db
                options.shard = try shard.map(WarRoomLab.Sweep.parseShard)
                options.resume = resume
                options.rulesPath = rules
                options.language = languageOption.language
                if worker {
                    try WarRoomLab.Sweep.worker(options)
                    return
                }
                // Replications run in worker processes of this very executable.
                let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
                options.workerExecutable = executable
                options.workerArguments = ["sweep", scenario, "--replications", String(replications)]
                    + (seeds.isEmpty ? [] : ["--seeds"] + seeds.map(String.init))
                    + (variants.map { ["--variants", $0] } ?? []) + (rules.map { ["--rules", $0] } ?? [])
                options.shouldStop = { stopRequested.load(ordering: .relaxed) }
                installStopHandlers()
                let bar = ProgressBar(quiet: quietOption.quiet || json)
                options.progress = { done, total in
                    bar.update(done: Double(done), total: Double(total), detail: "\(done)/\(total) replications")
                }
                let result = try WarRoomLab.Sweep.run(options)
                bar.finish()
                if quietOption.quiet && !json { return }
                if json { print(result.rendered(), terminator: ""); return }
                for key in ["results", "report"] { if case let .string(v)? = result[path: key] { print("\(key): \(v)") } }
                printResult(result, json: false, keys: ["variants", "seeds", "replications_run_here", "wall_seconds"])
            } catch { fail(error) }
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Combine the results files of a sweep's shards into the report a single machine writes.")

        @Argument(help: "Results files or folders holding them.")
        var inputs: [String]
        @Option(help: "Output folder of the report.")
        var out = "reports"
        @Option(help: "Run store (SQLite) the merged sweep is recorded in.")
        var db = "reports/warroom.db"
        @OptionGroup var languageOption: LanguageOption
        @Flag(help: "Print the summary as JSON.")
        var json = false

        @OptionGroup var quietOption: QuietOption

        func run() {
            quietOption.apply()
            do {
                let result = try WarRoomLab.Sweep.merge(inputs: inputs, outDirectory: out, databasePath: db, language: languageOption.language)
                if json { print(result.rendered(), terminator: ""); return }
                if case let .string(v)? = result[path: "report"] { print("report: \(v)") }
                printResult(result, json: false, keys: ["replications"])
            } catch { fail(error) }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a run's tables out of the run store as CSV or NDJSON files, or as a Jupyter notebook with its CSV tables.")

        @Argument(help: "Run id (see `warroom runs`).")
        var runID: String
        @Option(help: "Run store file (SQLite).")
        var db = "reports/warroom.db"
        @Option(help: "csv, ndjson, or ipynb (CSV tables, metrics.json and analysis.ipynb, a Jupyter notebook that loads them).")
        var format = "csv"
        @Option(help: "Output folder; the files go to <out>/<run id>-<format>/.")
        var out = "notebooks-export"
        @Flag(help: "Print the summary as JSON.")
        var json = false

        @OptionGroup var quietOption: QuietOption

        func run() {
            quietOption.apply()
            do {
                let result = try RunExport.export(run: runID, databasePath: db, format: format, outDirectory: out)
                if json { print(result.rendered(), terminator: ""); return }
                if case let .string(folder)? = result[path: "folder"] { print("folder: \(folder)") }
                if case let .object(files)? = result[path: "files"] {
                    for (name, rows) in files { if case let .int(n) = rows { print("  \(name): \(n) rows") } }
                }
                if case let .string(notebook)? = result[path: "notebook"] {
                    print("  notebook: \(notebook)")
                }
            } catch { fail(error) }
        }
    }

    struct Backtest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Backtest the sales-forecast (and churn) models on a simulated scenario, or the sales models on your own CSV panel.",
            discussion: """
                On a scenario: rolling origins (5, every 14 days, 28-day horizon) over store × day sales, weekly churn refits, \
                beside baselines and the oracle. With --data: a long-format panel (unique_id, ds, y, optional numeric covariates), \
                rolling origins at the end of the data; no oracle exists for real data.
                """)

        @Argument(help: "Scenario file (YAML); omit with --data.")
        var scenario: String?
        @Option(help: "Seed (default: the scenario's).")
        var seed: UInt64?
        @Option(help: "A panel CSV file in long format (unique_id, ds, y[, covariates]) instead of a scenario.")
        var data: String?
        @Option(help: "Frequency of --data: D, W or M.")
        var freq = "D"
        @Option(help: "Seasonal period of --data (default: 7 for D, 52 for W, 12 for M).")
        var season: Int?
        @Option(help: "Steps ahead for --data (default: 28 for D, 13 for W, 12 for M).")
        var horizon: Int?
        @Option(help: "Forecast origins for --data.")
        var origins = 3
        @Option(help: "Steps between origins for --data (default: half the horizon).")
        var step: Int?
        @Option(help: "Dates missing inside a series of --data: refuse, or zero (fill with 0).")
        var gaps = "refuse"
        @Option(help: "Accuracy target of the verdict for --data.")
        var targetAccuracy = 0.896
        @Option(help: "With --data: write a report folder (index.html, summary.md, metrics.json, series_metrics.csv) under this directory.")
        var out: String?
        @OptionGroup var languageOption: LanguageOption
        @Flag(help: "Print the full result as JSON.")
        var json = false

        @OptionGroup var quietOption: QuietOption

        func run() {
            quietOption.apply()
            do {
                let result: JSONValue
                if let data {
                    guard scenario == nil else { throw LabError("give a scenario or --data, not both", exitCode: LabError.invalidInput) }
                    var options = DataBacktest.Options(path: data)
                    options.frequency = freq
                    options.season = season
                    options.horizon = horizon
                    options.origins = origins
                    options.step = step
                    options.gaps = gaps
                    options.targetAccuracy = targetAccuracy
                    options.outDirectory = out
                    options.language = Language.choose(languageOption.language, scenario: nil)
                    result = try DataBacktest.run(options)
                    if json { print(result.rendered(), terminator: ""); return }
                    printResult(result, json: false, keys: ["data.series", "data.steps", "models.seasonal_naive.accuracy", "models.ets.accuracy",
                                                            "models.regression.accuracy", "models.glm.accuracy", "accuracy", "wall_seconds"])
                    for key in ["verdict", "report"] { if case let .string(text)? = result[path: key] { print("  \(key): \(text)") } }
                    if case let .array(notes)? = result[path: "data.notes"] {
                        for n in notes { if case let .string(text) = n { FileHandle.standardError.write(Data("note: \(text)\n".utf8)) } }
                    }
                    return
                }
                guard let scenario else { throw LabError("give a scenario file or --data FILE.csv", exitCode: LabError.invalidInput) }
                let bar = ProgressBar(quiet: json)
                result = try BacktestPipeline.run(scenarioPath: scenario, seed: seed) { done, total, what in
                    bar.update(done: Double(done), total: Double(total), detail: what)
                }
                bar.finish()
                if json { print(result.rendered(), terminator: ""); return }
                printResult(result, json: false, keys: ["forecast.accuracy", "forecast.oracle_accuracy", "forecast.oracle_without_shocks_accuracy", "forecast.mase",
                                                        "forecast.baselines.seasonal_naive.accuracy", "forecast.baselines.ets.accuracy",
                                                        "forecast.models.regression.accuracy", "forecast.coverage_p10_p90",
                                                        "churn.auc", "churn.oracle_auc", "churn.brier", "churn.ece", "wall_seconds"])
                if case let .array(verdicts)? = result[path: "verdicts"] {
                    for v in verdicts { if case let .string(text)? = v[path: "text"] { print("  " + text) } }
                }
            } catch { fail(error) }
        }
    }

    struct Forecast: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Forecast every series of a CSV panel past its last observation, into a CSV file in the same long format.",
            discussion: "Output columns: unique_id, ds, model, p10, p50, p90. Covariate columns need rows with an empty y carrying their planned values for the forecast steps.")

        @Option(help: "The panel CSV file (unique_id, ds, y[, covariates]).")
        var data: String
        @Option(help: "Steps ahead.")
        var horizon: Int
        @Option(help: "auto (the best on a backtest of the last horizon), ets, regression, glm or seasonal_naive.")
        var model = "auto"
        @Option(help: "Output CSV file.")
        var out: String
        @Option(help: "Frequency: D, W or M.")
        var freq = "D"
        @Option(help: "Seasonal period (default: 7 for D, 52 for W, 12 for M).")
        var season: Int?
        @Option(help: "Dates missing inside a series: refuse, or zero (fill with 0).")
        var gaps = "refuse"
        @Flag(help: "Print the summary as JSON.")
        var json = false

        @OptionGroup var quietOption: QuietOption

        func run() {
            quietOption.apply()
            do {
                var options = DataForecast.Options(path: data, outPath: out, horizon: horizon)
                options.model = model
                options.frequency = freq
                options.season = season
                options.gaps = gaps
                let result = try DataForecast.run(options)
                if json { print(result.rendered(), terminator: ""); return }
                for key in ["model", "chosen_by", "first_forecast_date", "out"] { if case let .string(v)? = result[path: key] { print("\(key): \(v)") } }
                printResult(result, json: false, keys: ["series", "horizon", "wall_seconds"])
            } catch { fail(error) }
        }
    }

    struct Churn: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fit and cross-validate the logistic churn model on a customer table (CSV).",
            discussion: "Numeric and categorical columns; categorical ones one-hot encoded with rare levels pooled; missing values imputed and flagged.")

        @Option(help: "The customer table (CSV, one row per customer).")
        var data: String
        @Option(help: "The 0/1 (true/false, yes/no) column to predict.")
        var label: String
        @Option(help: "An id column to leave out of the features.")
        var id: String?
        @Option(help: "Cross-validation folds.")
        var folds = 5
        @Option(help: "L2 penalty on the standardised coefficients.")
        var l2 = 1.0
        @Flag(help: "Print the full result as JSON.")
        var json = false

        @OptionGroup var quietOption: QuietOption

        func run() {
            quietOption.apply()
            do {
                var options = DataChurn.Options(path: data, label: label)
                options.id = id
                options.folds = folds
                options.l2 = l2
                let result = try DataChurn.run(options)
                if json { print(result.rendered(), terminator: ""); return }
                printResult(result, json: false, keys: ["rows", "positives", "cross_validation.auc", "cross_validation.log_loss", "cross_validation.brier",
                                                        "cross_validation.ece", "cross_validation.top_decile_lift", "wall_seconds"])
                if case let .array(coefficients)? = result[path: "coefficients"] {
                    print("  coefficients (estimate ± standard error):")
                    for c in coefficients {
                        if case let .string(name)? = c[path: "feature"], case let .double(e)? = c[path: "estimate"], case let .double(se)? = c[path: "standard_error"] {
                            print(String(format: "    %@: %+.4f ± %.4f", name, e, se))
                        }
                    }
                }
            } catch { fail(error) }
        }
    }

    struct Stream: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Emit a run's exact observable live stream (same digest as warroom run) for other engines.",
            discussion: "Records: time_ms, kind, store, city, region, customer, rep, sku, quantity, amount_fen, attr. A summary goes to stderr.")

        @Argument(help: "The scenario file (YAML).")
        var scenario: String
        @Option(help: "Seed (default: the scenario's).")
        var seed: UInt64?
        @Option(help: "Record format: ndjson or csv.")
        var format = "ndjson"
        @Option(help: "Destination: stdout, a file, or tcp://127.0.0.1:PORT.")
        var to = "stdout"
        @Option(help: "Pace at a fixed rate (events/s).")
        var rate: Double?
        @Option(help: "Pace at a multiple of event time (60: one minute of events per second).")
        var speed: Double?
        @OptionGroup var alerts: AlertOptions
        @Flag(help: "No summary on standard error (standard output may carry the stream).")
        var quiet = false

        func run() {
            var options = EventStreaming.Options(scenarioPath: scenario)
            options.seed = seed
            options.format = format
            options.destination = to
            options.rate = rate
            options.speed = speed
            options.rulesPath = alerts.rules
            options.applyActions = !alerts.noActions
            do {
                let summary = try EventStreaming.run(options)
                if !quiet { FileHandle.standardError.write(Data(summary.rendered().utf8)) }
            } catch { fail(error) }
        }
    }

    struct Runs: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The runs kept in the run store.", subcommands: [List.self, Show.self],
                                                        defaultSubcommand: List.self)

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List every run, oldest first.")
            @Option(help: "Run store file (SQLite).")
            var db = "reports/warroom.db"
            @Flag(help: "Print JSON (a list of runs, each with its id).")
            var json = false

            @OptionGroup var quietOption: QuietOption

            func run() {
                quietOption.apply()
                do {
                    let runs = try RunHistory.list(databasePath: db)
                    if json { print(RunHistory.json(runs).rendered(), terminator: ""); return }
                    for r in runs { print(RunHistory.line(r)) }
                    if runs.isEmpty { print("no runs in \(db)") }
                } catch { fail(error) }
            }
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show one run: its record, row counts and metrics.")
            @Argument(help: "The run's id or number.")
            var id: String
            @Option(help: "Run store file (SQLite).")
            var db = "reports/warroom.db"
            @Flag(help: "Print JSON.")
            var json = false

            @OptionGroup var quietOption: QuietOption

            func run() {
                quietOption.apply()
                do {
                    let shown = try RunHistory.show(run: id, databasePath: db)
                    print(json ? shown.json.rendered() : shown.text, terminator: json ? "" : "\n")
                } catch { fail(error) }
            }
        }
    }

    struct ReportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Re-create a finished run's report folder from the run store alone.",
            discussion: """
                Simulates the stored scenario text, rules and options with the stored seed again (as long as the run took), \
                checks that the event digest equals the stored one, and puts the run's stored wall-clock measurements \
                in place of the new ones: the folder is byte-identical to the one the run wrote.
                """)
        @Argument(help: "The run's id or number.")
        var id: String
        @Option(help: "Run store file (SQLite).")
        var db = "reports/warroom.db"
        @Option(name: .customLong("out"), help: "Folder under which the report folder is written (default: where the run wrote it).")
        var out: String?
        @Option(name: .customLong("lang"), help: "Language of the report: zh or en (default: the run's own; only then is the folder byte-identical).")
        var language: Language?
        @Flag(help: "Print the report's path as JSON.")
        var json = false

        @OptionGroup var quietOption: QuietOption

        func run() {
            quietOption.apply()
            let bar = ProgressBar(quiet: quietOption.quiet || json)
            do {
                let outcome = try RunPipeline.recreate(runID: id, databasePath: db, outDirectory: out, language: language) { p in
                    bar.update(done: Double(p.daysDone), total: Double(p.daysTotal), detail: "\(p.date) (\(p.isLive ? "live" : "history"))")
                }
                bar.finish()
                if json {
                    print(JSONValue.object([("run", .string(outcome.runID)), ("report", .string(outcome.reportPath)),
                                            ("index", .string(outcome.reportPath + "/index.html"))]).rendered(), terminator: "")
                    return
                }
                print("report:   \(outcome.reportPath)/index.html (re-created from run \(outcome.runID))")
            } catch {
                bar.finish()
                fail(error)
            }
        }
    }

    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Compare two runs' metrics side by side (B − A), as a report folder.")
        @Argument(help: "Run A (id or number).")
        var a: String
        @Argument(help: "Run B (id or number).")
        var b: String
        @Option(help: "Run store file (SQLite).")
        var db = "reports/warroom.db"
        @Option(name: .customLong("out"), help: "Folder under which the comparison folder is written.")
        var out = "reports"
        @OptionGroup var languageOption: LanguageOption
        @Flag(help: "Print the comparison's path as JSON.")
        var json = false

        @OptionGroup var quietOption: QuietOption

        func run() {
            quietOption.apply()
            do {
                let path = try RunComparison.compare(a, b, databasePath: db, outDirectory: out, language: languageOption.language)
                if json {
                    print(JSONValue.object([("comparison", .string(path)), ("index", .string(path + "/index.html"))]).rendered(), terminator: "")
                    return
                }
                print("comparison: \(path)/index.html")
            } catch { fail(error) }
        }
    }

    struct Fuzz: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fuzz the scenario decoder and the rule parser with mutations of the shipped files.",
            discussion: "Every input must decode or give a clear input error; a trap ends the process (the failure).")
        @Option(help: "scenario, rules, data or all.")
        var target = "all"
        @Option(help: "Seconds per target.")
        var seconds = 60.0
        @Option(help: "Most inputs per target.")
        var iterations = 10_000_000
        @Option(help: "Seed of the mutations.")
        var seed: UInt64 = 1
        @Flag(help: "Print the figures as JSON.")
        var json = false

        @OptionGroup var quietOption: QuietOption

        func run() {
            quietOption.apply()
            let targets = target == "all" ? Fuzzer.Target.allCases : Fuzzer.Target.allCases.filter { $0.rawValue == target }
            if targets.isEmpty { fail(LabError("--target must be scenario, rules, data or all")) }
            do {
                var results: [JSONValue] = []
                for t in targets {
                    let bar = ProgressBar(quiet: json)
                    let o = Fuzzer.run(t, seeds: try Fuzzer.seedFiles(t), iterations: iterations, seconds: seconds, seed: seed) { share, executions in
                        bar.update(done: share, total: 1, detail: "\(t.rawValue): \(executions) inputs")
                    }
                    bar.finish()
                    if json {
                        results.append(.object([("target", .string(t.rawValue)), ("executions", .int(Int64(o.executions))), ("seconds", .double(o.seconds)),
                                                ("decoded", .int(Int64(o.decoded))), ("refused", .int(Int64(o.refused))), ("crashes", .int(0))]))
                        continue
                    }
                    print("fuzz \(t.rawValue): \(o.executions) inputs in " + String(format: "%.1f s", o.seconds)
                          + " (\(Int(Double(o.executions) / max(o.seconds, 1e-9))) /s): \(o.decoded) decoded, \(o.refused) refused with a clear error, no crash")
                }
                if json { print(JSONValue.array(results).rendered(), terminator: "") }
            } catch { fail(error) }
        }
    }

    struct Soak: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the closed loop (simulator, alert engine, actions) for a long live window; print memory and throughput per 30 days.")
        @Option(help: "Scenario file.")
        var scenario = "scenarios/east-china-medical.yaml"
        @Option(help: "Rule file (default: the scenario's).")
        var rules: String?
        @Option(help: "Live days.")
        var liveDays = 360
        @Flag(help: "Print the figures as JSON instead of a table.")
        var json = false

        @OptionGroup var quietOption: QuietOption

        func run() {
            quietOption.apply()
            do {
                let bar = ProgressBar(quiet: quietOption.quiet || json)
                let result = try WarRoomLab.Soak.run(scenarioPath: scenario, rulesPath: rules, liveDays: liveDays) { done, total in
                    bar.update(done: Double(done), total: Double(total), detail: "day \(done) of \(total)")
                }
                bar.finish()
                if json { print(result.rendered(), terminator: ""); return }
                // One row per 30 live days: a leak shows as a growing RSS, a slow-down as a falling rate.
                print("live days     events        events/s    RSS MiB")
                if case let .array(windows)? = result[path: "windows"] {
                    for w in windows {
                        func field(_ key: String) -> String {
                            switch w[path: key] {
                            case .string(let v)?: return v
                            case .int(let v)?: return String(v)
                            case .double(let v)?: return v == v.rounded() ? String(Int64(v)) : String(format: "%.1f", v)
                            default: return "n/a"
                            }
                        }
                        print(field("live_days").padding(toLength: 14, withPad: " ", startingAt: 0)
                              + field("events").padding(toLength: 14, withPad: " ", startingAt: 0)
                              + field("events_per_second").padding(toLength: 12, withPad: " ", startingAt: 0) + field("rss_mib"))
                    }
                }
                printResult(result, json: false, keys: ["events", "alerts", "peak_rss_mib"])
            } catch { fail(error) }
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a scenario file and say what is wrong, without running it.")

        @Argument(help: "The scenario file (YAML).")
        var scenario: String
        @Flag(help: "Print the scenario's size as JSON.")
        var json = false

        @OptionGroup var quietOption: QuietOption

        func run() {
            quietOption.apply()
            do {
                let s = try Scenario.load(path: scenario).scenario
                let stores = s.world.regions.reduce(0) { $0 + $1.cities.reduce(0) { $0 + $1.stores } }
                if json {
                    print(JSONValue.object([("file", .string(scenario)), ("ok", .bool(true)), ("name", .string(s.name)), ("stores", .int(Int64(stores))),
                                            ("history_days", .int(Int64(s.calendar.historyDays))), ("live_days", .int(Int64(s.calendar.liveDays))),
                                            ("shocks", .int(Int64(s.competitors.shocks.count)))]).rendered(), terminator: "")
                    return
                }
                print("\(scenario): ok — \(s.name): \(stores) stores, \(s.calendar.historyDays) history days, \(s.calendar.liveDays) live days, \(s.competitors.shocks.count) shocks")
            } catch let error as InputError {
                fail(LabError(error.description, exitCode: LabError.invalidInput))
            } catch {
                fail(error)
            }
        }
    }

    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Benchmarks (use a release build).",
                                                        subcommands: [Sim.self, Record.self, Engine.self, SweepLoad.self, Fit.self])

        struct Engine: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Alert-engine throughput on the scenario's live stream, held in memory (one core).")

            @OptionGroup var common: BenchOptions
            @Option(help: "Rule file.")
            var rules = "scenarios/rules/presets.yaml"
            @Flag(help: "Peak sustained throughput (events fed as fast as the engine takes them).")
            var max = false
            @Option(help: "Open loop: offer events at this fixed rate (events/s); latency from each event's intended send time.")
            var rate: Double?
            @Option(help: "Open loop: seconds of offered load (capped by the stream's length).")
            var duration = 10.0
            @Option(help: "Open loop: seconds of load offered first to warm the engine, not recorded.")
            var warmup = 0.5
            @Option(help: "Open loop: write the latency distribution in HdrHistogram's .hgrm text format (µs).")
            var hgrm: String?
            @Option(help: "Open loop: where the engine evaluates due ticks — idle (while it waits for the next event), inline (before the event that made them due), or a number N (N key evaluations per event).")
            var tickWork = "idle"
            @Option(parsing: .upToNextOption, help: "Also measure with only the first N rules (e.g. 1 9 18).")
            var ruleCounts: [Int] = [1]

            @OptionGroup var quietOption: QuietOption

            func run() {
                quietOption.apply()
                do {
                    if max {
                        let result = try Benchmarks.engine(scenarioPath: common.scenario, rulesPath: rules, seed: common.seed,
                                                           repeats: common.repeats, ruleCounts: ruleCounts)
                        printResult(result, json: common.json, keys: ["events", "rules", "wall_seconds", "events_per_second", "alerts"])
                    } else if let rate {
                        let result = try Benchmarks.engineOpenLoop(scenarioPath: common.scenario, rulesPath: rules, seed: common.seed, rate: rate,
                                                                   duration: duration, warmup: warmup, hgrmPath: hgrm, tickWork: try Benchmarks.tickWork(tickWork))
                        printResult(result, json: common.json, keys: ["events", "offered_rate", "achieved_rate", "events_late", "latency_us.p50",
                                                               "latency_us.p99", "latency_us.p999", "latency_us.max", "service_us.mean", "service_us.p99", "service_us.max", "event_utilization",
                                                               "page_faults", "alert_delay_us.p50", "alert_delay_us.p99", "machine.stalls_per_second", "machine.stalled_share", "machine.stall_us.p50", "machine.floor_us.p99", "machine.floor_us.p999", "machine.at_service_us.p99", "machine.at_service_us.p999"])
                    } else {
                        fail(LabError("choose a mode: --max, or --rate R [--duration S]"))
                    }
                } catch { fail(error) }
            }
        }

        struct SweepLoad: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "sweep-load",
                abstract: "Latency against offered load (open loop), throughput against rules and stores; charts, CSVs and a summary naming the knee.",
                discussion: "Writes <out>/latency-<scenario>/ (index.html, summary.md, metrics.json, CSVs, SVGs, .hgrm). Use a release build.")

            @OptionGroup var common: BenchOptions
            @Option(help: "Rule file.")
            var rules = "scenarios/rules/presets.yaml"
            @Option(help: "Folder for the report folder.")
            var out = "reports"
            @Option(parsing: .upToNextOption, help: "Offered loads as fractions of peak.")
            var loads: [Double] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2]
            @Option(help: "Recorded seconds per load.")
            var seconds = 1.5
            @Option(help: "Warm-up seconds per load (offered, not recorded).")
            var warmup = 0.5
            @Option(parsing: .upToNextOption, help: "Rule counts (beyond the file's: generated variants).")
            var ruleCounts = [1, 27, 100, 1000]
            @Option(parsing: .upToNextOption, help: "Store counts (the world replicated).")
            var storeCounts = [237, 1_000, 10_000, 100_000]
            @Option(help: "Live days of the stream for the store-count curve.")
            var cardinalityDays = 14
            @OptionGroup var languageOption: LanguageOption
            @OptionGroup var quietOption: QuietOption

            func run() {
                quietOption.apply()
                var options = LoadSweep.Options(scenarioPath: common.scenario, rulesPath: rules)
                options.seed = common.seed
                options.loadFractions = loads
                options.seconds = seconds
                options.warmup = warmup
                options.ruleCounts = ruleCounts
                options.storeCounts = storeCounts
                options.cardinalityDays = cardinalityDays
                options.repeats = common.repeats
                do {
                    let bar = ProgressBar(quiet: quietOption.quiet || common.json)
                    let sweep = try LoadSweep.run(options) { done, total, next in
                        bar.update(done: Double(done), total: Double(total), detail: next)
                    }
                    bar.finish()
                    let folder = URL(fileURLWithPath: out).appendingPathComponent("latency-" + SafeName.component(sweep.scenario))
                    try ReportFolder.write(sweep.files(language: Language.choose(languageOption.language, scenario: sweep.scenarioLanguage)), to: folder)
                    if common.json {
                        print(sweep.json.rendered(), terminator: "")
                    } else if !quietOption.quiet {
                        print("bench sweep-load: \(folder.path)/index.html")
                        for v in sweep.verdicts { print("  \(v.what): \(v.figure) — \(v.met.map { $0 ? "met" : "not met" } ?? "")") }
                        if let k = sweep.knee { print(String(format: "  knee: %.0f%% of peak", k.fraction * 100)) } else { print("  knee: none within the loads measured") }
                    }
                } catch { fail(error) }
            }
        }

        struct Sim: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Simulator throughput on the live window (events generated, ordered and digested; nothing recorded).")

            @OptionGroup var common: BenchOptions
            @Option(help: "Override the number of live days (e.g. 360 to check that memory stays flat).")
            var liveDays: Int?

            @OptionGroup var quietOption: QuietOption

            func run() {
                quietOption.apply()
                do {
                    let result = try Benchmarks.simulation(scenarioPath: common.scenario, seed: common.seed, repeats: common.repeats, liveDays: liveDays)
                    printResult(result, json: common.json, keys: ["events", "wall_seconds", "events_per_second", "peak_rss_mib"])
                } catch { fail(error) }
            }
        }

        struct Fit: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Model-fitting speed: the logistic churn model on synthetic rows, ETS with model selection on daily series.")

            @Option(help: "Rows of the logistic benchmark.")
            var rows = 1_000_000
            @Option(help: "Features of the logistic benchmark.")
            var features = 30
            @Option(help: "Repetitions; the median is reported.")
            var repeats = 3
            @Flag(help: "Print JSON.")
            var json = false

            @OptionGroup var quietOption: QuietOption

            func run() {
                quietOption.apply()
                do {
                    let result = try Benchmarks.fit(rows: rows, features: features, repeats: repeats)
                    printResult(result, json: json, keys: ["logistic.fit_seconds", "logistic.iterations", "ets.series_per_second"])
                } catch { fail(error) }
            }
        }

        struct Record: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Event-log write speed into the SQLite run store.")

            @OptionGroup var common: BenchOptions
            @Option(help: "Live days of events to write.")
            var liveDays = 20

            @OptionGroup var quietOption: QuietOption

            func run() {
                quietOption.apply()
                do {
                    let result = try Benchmarks.recording(scenarioPath: common.scenario, seed: common.seed, liveDays: liveDays, repeats: common.repeats)
                    printResult(result, json: common.json, keys: ["events", "wall_seconds", "events_per_second"])
                } catch { fail(error) }
            }
        }
    }
}

/// The alert options of commands that run the closed loop (`run`, `stream`).
struct AlertOptions: ParsableArguments {
    @Option(help: "Alert rule file (default: the scenario's `rules:`).")
    var rules: String?
    @Flag(help: "Run the alert engine but do not let the alerts' actions act on the simulated world.")
    var noActions = false
}

/// The options every benchmark takes.
struct BenchOptions: ParsableArguments {
    @Option(help: "Scenario file.")
    var scenario = "scenarios/east-china-medical.yaml"
    @Option(help: "Seed (default: the scenario's).")
    var seed: UInt64?
    @Option(help: "Repetitions; the median is reported.")
    var repeats = 3
    @Flag(help: "Print JSON.")
    var json = false
}

/// Prints a benchmark result as JSON or as `key: value` lines.
func printResult(_ result: JSONValue, json: Bool, keys: [String]) {
    if json { print(result.rendered(), terminator: ""); return }
    if case let .string(name)? = result[path: "benchmark"] { print("bench \(name)") }
    for k in keys {
        switch result[path: k] {
        case .int(let v)?: print("  \(k): \(v)")
        case .double(let v)?: print("  \(k): \(v)")
        default: break
        }
    }
}

WarRoom.main()
