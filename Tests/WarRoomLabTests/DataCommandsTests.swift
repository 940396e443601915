import Foundation
import Forecasting
import Reporting
import Testing
import WarRoomTestSupport
import WarRoomCore
import WarRoomLab

/// A daily panel with a weekly pattern, a promotion lift and noise, written as CSV; `future`
/// appends rows with an empty y and the planned promo for that many days.
func writePanel(_ url: URL, series: Int = 12, days: Int = 240, future: Int = 0) throws {
    var text = "unique_id,ds,y,promo\n"
    let start = CivilDate(iso: "2024-01-01")!
    for s in 0..<series {
        var rng = RandomStream(seed: 21, stream: .synthetic, entity: UInt64(s))
        for t in 0..<(days + future) {
            let date = start.adding(days: t)
            let promo = (t + s) % 25 == 0 ? 1 : 0
            let mean = Double(50 + 20 * s) * [1.0, 0.9, 0.95, 1.0, 1.1, 1.3, 0.75][date.weekday] * (promo == 1 ? 1.4 : 1)
            text += t < days ? "id\(s),\(date),\(rng.poisson(mean)),\(promo)\n" : "id\(s),\(date),,\(promo)\n"
        }
    }
    try text.write(to: url, atomically: true, encoding: .utf8)
}

@Suite("Forecasters' own data: backtest --data, forecast and churn")
struct DataCommandsTests {
    @Test("backtest --data scores every model on the user's panel, says there is no oracle, and writes its report folder")
    func backtestData() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try writePanel(folder.appendingPathComponent("sales.csv"))
        let r = try runWarroom(["backtest", "--data", "sales.csv", "--json", "--out", "out", "--target-accuracy", "0.5", "--cv-out", "cv.csv"], in: folder)
        #expect(r.status == 0, "\(r.err)")
        // statsforecast's cross-validation frame: 12 series × 3 origins × 28 steps, the cutoff the
        // day before each window, the actual as in the file.
        let cv = try String(contentsOf: folder.appendingPathComponent("cv.csv"), encoding: .utf8).split(separator: "\n")
        #expect(cv[0] == "unique_id,ds,cutoff,y,seasonal_naive,ets,regression,glm,ets+glm" && cv.count == 1 + 12 * 3 * 28)
        let row = cv[1].split(separator: ",").map(String.init)
        #expect(row[0] == "id0" && CivilDate(iso: row[2])?.adding(days: 1) == CivilDate(iso: row[1]) && row.dropFirst(3).allSatisfy { Double($0) != nil }, "\(row)")
        let panelRows = try String(contentsOf: folder.appendingPathComponent("sales.csv"), encoding: .utf8).split(separator: "\n")
        #expect(panelRows.contains { $0.hasPrefix("id0,\(row[1]),\(row[3]),") })
        #expect(Set(cv.dropFirst().map { $0.split(separator: ",")[2] }).count == 3)
        let json = try jsonObject(r.out)
        let models = try #require(json["by_model"] as? [String: Any])
        #expect(Set(models.keys) == ["seasonal_naive", "ets", "regression", "glm", "ets+glm"])
        let naive = try #require((models["seasonal_naive"] as? [String: Any])?["accuracy"] as? Double)
        let best = try #require(json["accuracy"] as? Double)
        #expect(best > naive && json["target_met"] as? Bool == true)
        #expect(json["oracle"] is NSNull && (json["oracle_note"] as? String)?.contains("no oracle") == true)
        #expect((json["per_series"] as? [Any])?.count == 12)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("out/sales-backtest").path).sorted()
        #expect(files == ["index.html", "metrics.json", "series_metrics.csv", "summary.md"])
        let html = try String(contentsOf: folder.appendingPathComponent("out/sales-backtest/index.html"), encoding: .utf8)
        #expect(html.contains("There is no oracle for real data") && html.contains("<svg"))
        #expect(html.contains(/>2024-0[78]-\d\d<\/text>/), "the forecast chart's axis on the panel's dates")
        // Small multiples: one forecast chart for each of the three largest series, not three bands on one.
        let bandTitles = Set(html.matches(of: /forecast \(dashed, P10–P90 shaded\) vs actual — y, (id\d+)/).map { String($0.output.1) })
        #expect(bandTitles.count == 3, "\(bandTitles)")

        // A broken file: exit 65, the line and series named, no report folder.
        var text = try String(contentsOf: folder.appendingPathComponent("sales.csv"), encoding: .utf8)
        text += "id3,2024-09-01,-4,0\n"
        try text.write(to: folder.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
        let bad = try runWarroom(["backtest", "--data", "bad.csv", "--out", "out"], in: folder)
        #expect(bad.status == 65)
        #expect(bad.err == "error: bad.csv:2882:3: y (series id3): negative value -4.0: sales panels must be ≥ 0\n")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/bad-backtest").path))

        // Only zeros: WAPE is undefined, and the command says so instead of printing NaN.
        var zeros = "unique_id,ds,y\n"
        for t in 0..<200 { zeros += "z,\(CivilDate(iso: "2024-01-01")!.adding(days: t)),0\n" }
        try zeros.write(to: folder.appendingPathComponent("zeros.csv"), atomically: true, encoding: .utf8)
        let z = try runWarroom(["backtest", "--data", "zeros.csv"], in: folder)
        #expect(z.status == 65 && z.err == "error: zeros.csv: the backtest windows hold only zeros, so WAPE (and accuracy) is undefined\n")
    }

    @Test("A panel whose grid would not fit is refused before it is allocated, naming the rows that stretch it")
    func panelMemory() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try writePanel(folder.appendingPathComponent("p.csv"), series: 200, days: 60)
        var text = try String(contentsOf: folder.appendingPathComponent("p.csv"), encoding: .utf8)
        text += "typo1,1900-01-01,5,0\ntypo2,2200-12-31,7,0\n"
        try text.write(to: folder.appendingPathComponent("typo.csv"), atomically: true, encoding: .utf8)
        let rows = text.split(separator: "\n").count
        for command in [["backtest", "--data", "typo.csv"], ["forecast", "--data", "typo.csv", "--horizon", "7", "--out", "fc.csv"]] {
            let r = try runWarroom(command + ["--max-memory", "64M"], in: folder)
            #expect(r.status == 65, "\(r.err)")
            #expect(r.err.contains("typo.csv:\(rows - 1):") && r.err.contains("(202 series × 109938 steps on one grid), over the budget of 64 MiB"), "\(r.err)")
            #expect(r.err.contains("2 row(s) lie far outside the other rows' 2024-01-01 … 2024-02-29: line \(rows - 1) (unique_id typo1, ds 1900-01-01), line \(rows) (unique_id typo2, ds 2200-12-31)"), "\(r.err)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("fc.csv").path))
        // Without a few far rows to blame, the figure and what to do.
        let big = try runWarroom(["backtest", "--data", "p.csv", "--max-memory", "100K"], in: folder)
        #expect(big.status == 65 && big.err.contains("over the budget of 100 KiB: raise --max-memory or split the panel"), "\(big.err)")
        let bad = try runWarroom(["backtest", "--data", "p.csv", "--max-memory", "lots"], in: folder)
        #expect(bad.status == 64 && bad.err.contains("'lots' is invalid for '--max-memory"))
    }

    @Test("forecast writes the long format for every series and step; global models need the planned covariates")
    func forecast() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try writePanel(folder.appendingPathComponent("future.csv"), series: 4, future: 14)
        let r = try runWarroom(["forecast", "--data", "future.csv", "--horizon", "14", "--model", "glm", "--out", "fc.csv", "--json"], in: folder)
        #expect(r.status == 0, "\(r.err)")
        let lines = try String(contentsOf: folder.appendingPathComponent("fc.csv"), encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "unique_id,ds,model,p10,p50,p90" && lines.count == 1 + 4 * 14)
        #expect(lines[1].hasPrefix("id0,2024-08-28,glm,"))
        for line in lines.dropFirst() {
            let q = line.split(separator: ",").suffix(3).compactMap { Double($0) }
            #expect(q.count == 3 && q[0] <= q[1] && q[1] <= q[2], "\(line)")
        }
        // A second run onto the same file replaces it whole (the horizon changed, so the content did too).
        let again = try runWarroom(["forecast", "--data", "future.csv", "--horizon", "7", "--model", "glm", "--out", "fc.csv"], in: folder)
        #expect(again.status == 0, "\(again.err)")
        let replaced = try String(contentsOf: folder.appendingPathComponent("fc.csv"), encoding: .utf8).split(separator: "\n")
        #expect(replaced.count == 1 + 4 * 7)
        try writePanel(folder.appendingPathComponent("past.csv"), series: 4)
        let missing = try runWarroom(["forecast", "--data", "past.csv", "--horizon", "14", "--model", "regression", "--out", "fc2.csv"], in: folder)
        #expect(missing.status == 65 && missing.err.contains("covariate promo has no value"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("fc2.csv").path))
        let auto = try runWarroom(["forecast", "--data", "past.csv", "--horizon", "14", "--out", "fc3.csv", "--json"], in: folder)
        let summary = try jsonObject(auto.out)
        #expect(["ets", "seasonal_naive"].contains(summary["model"] as? String ?? ""))
    }

    @Test("forecast --level and --layout wide write statsforecast's interval columns, nested and consistent with P10/P90", arguments: ["ets", "glm"])
    func levels(model: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try writePanel(folder.appendingPathComponent("future.csv"), series: 4, future: 14)
        func rows(_ extra: [String], _ file: String) throws -> [[String]] {
            let r = try runWarroom(["forecast", "--data", "future.csv", "--horizon", "14", "--model", model, "--out", file] + extra, in: folder)
            #expect(r.status == 0, "\(r.err)")
            return try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        }
        let wide = try rows(["--level", "95", "80", "--layout", "wide"], "wide.csv")
        #expect(wide[0] == ["unique_id", "ds", model, "\(model)-lo-80", "\(model)-hi-80", "\(model)-lo-95", "\(model)-hi-95"] && wide.count == 1 + 4 * 14)
        for row in wide.dropFirst() {
            let v = row.dropFirst(2).compactMap { Double($0) }
            // lo-95 ≤ lo-80 ≤ hi-80 ≤ hi-95: the wider interval holds the narrower.
            #expect(v.count == 5 && v[3] <= v[1] && v[1] <= v[2] && v[2] <= v[4], "\(row)")
        }
        // The 80 % interval is P10 to P90.
        let long = try rows(["--level", "80"], "long.csv")
        #expect(long[0] == ["unique_id", "ds", "model", "p10", "p50", "p90", "lo-80", "hi-80"])
        for row in long.dropFirst() { #expect(row[3] == row[6] && row[5] == row[7], "\(row)") }
        let bad = try runWarroom(["forecast", "--data", "future.csv", "--horizon", "14", "--out", "x.csv", "--level", "100"], in: folder)
        #expect(bad.status == 65 && bad.err.contains("--level 100: a level is a percentage between 0 and 100"), "\(bad.err)")
    }

    @Test("churn fits and cross-validates on a customer table: known effects found, categories pooled, missing values flagged")
    func churn() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var text = "customer,visits,region,spend,churned\n"
        var rng = RandomStream(seed: 5, stream: .synthetic, entity: 77)
        for i in 0..<3000 {
            let visits = Double(rng.poisson(3))
            let region = i % 500 == 0 ? "Tibet" : (rng.uniform() < 0.5 ? "East" : "North")
            let spend = rng.uniform() < 0.05 ? "" : String(format: "%.1f", 100 * rng.exponential())
            let eta = 0.5 - 0.6 * visits + (region == "East" ? 0.8 : 0)
            text += "c\(i),\(visits),\(region),\(spend),\(rng.uniform() < 1 / (1 + exp(-eta)) ? "yes" : "no")\n"
        }
        try text.write(to: folder.appendingPathComponent("customers.csv"), atomically: true, encoding: .utf8)
        // Over --max-memory: refused before the table is read, with the figure.
        let small = try runWarroom(["churn", "--data", "customers.csv", "--label", "churned", "--max-memory", "64K"], in: folder)
        #expect(small.status == 65 && small.err.contains("customers.csv: reading the table would take up to ")
                && small.err.contains("over the budget of 64 KiB"), "\(small.err)")
        let r = try runWarroom(["churn", "--data", "customers.csv", "--label", "churned", "--id", "customer", "--json"], in: folder)
        #expect(r.status == 0, "\(r.err)")
        let json = try jsonObject(r.out)
        let cv = try #require(json["cross_validation"] as? [String: Any])
        #expect((cv["auc"] as? Double ?? 0) > 0.7, "AUC \(cv["auc"] ?? "")")
        let coefficients = try #require(json["coefficients"] as? [[String: Any]])
        func coefficient(_ name: String) -> (Double, Double)? {
            guard let c = coefficients.first(where: { $0["feature"] as? String == name }) else { return nil }
            return (c["estimate"] as? Double ?? .nan, c["standard_error"] as? Double ?? .nan)
        }
        let visits = try #require(coefficient("visits"))
        #expect(abs(visits.0 + 0.6) < 4 * visits.1, "visits \(visits)")
        #expect(coefficient("spend_missing") != nil && coefficient("region=(other)") != nil)
        let encoding = (json["encoding"] as? [String] ?? []).joined(separator: "\n")
        #expect(encoding.contains("pooled into (other)") && encoding.contains("set to the median"))

        try (text + "c9,2,East,10,maybe\n").write(to: folder.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
        let bad = try runWarroom(["churn", "--data", "bad.csv", "--label", "churned"], in: folder)
        #expect(bad.status == 65 && bad.err == "error: bad.csv:3002:5: churned: label 'maybe' is not 0/1, true/false or yes/no\n")

        // More feature columns than rows: refused at once, not minutes of Newton steps.
        var wide = "label," + (0..<60).map { "x\($0)" }.joined(separator: ",") + "\n"
        for r in 0..<40 { wide += "\(r % 2)," + (0..<60).map { "\(($0 * 7 + r * 3) % 11)" }.joined(separator: ",") + "\n" }
        try wide.write(to: folder.appendingPathComponent("wide.csv"), atomically: true, encoding: .utf8)
        let tooWide = try runWarroom(["churn", "--data", "wide.csv", "--label", "label"], in: folder)
        #expect(tooWide.status == 65 && tooWide.err == "error: wide.csv: 60 feature columns after encoding for 40 rows: more features than rows; "
                + "drop or merge columns (at most 1000, and fewer than the rows)\n", "\(tooWide.err)")
    }

    @Test("The typed results hold exactly the figures their JSON gives, and the command prints them")
    func typedResults() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let panel = folder.appendingPathComponent("sales.csv")
        try writePanel(panel, series: 4, days: 200)
        var options = DataBacktest.Options(path: panel.path)
        options.frequency = .daily
        options.gaps = .zero
        let backtest = try DataBacktest.run(options)
        let json = backtest.json
        #expect(json[path: "data.series"] == .int(4) && backtest.series == 4 && json[path: "data.steps"] == .int(Int64(backtest.steps)))
        #expect(backtest.models.map(\.model) == ["seasonal_naive", "ets", "regression", "glm"])
        for m in backtest.models { #expect(json[path: "by_model.\(m.model).accuracy"] == m.accuracy.map { .double($0) }) }
        #expect(json[path: "accuracy"] == backtest.accuracy.map { .double($0) } && json[path: "verdict"] == .string(backtest.verdict))
        #expect(json[path: "frequency"] == nil && json[path: "data.frequency"] == .string("D") && backtest.reportPath == nil)

        var forecastOptions = DataForecast.Options(path: panel.path, outPath: folder.appendingPathComponent("fc.csv").path, horizon: 7)
        forecastOptions.model = .seasonalNaive
        let forecast = try DataForecast.run(forecastOptions)
        #expect(forecast.model == .seasonalNaive && forecast.json[path: "model"] == .string("seasonal_naive") && forecast.backtestAccuracy == nil)
        // The frequency is read in either case, as before.
        let lower = try runWarroom(["forecast", "--data", "sales.csv", "--horizon", "7", "--model", "seasonal_naive", "--freq", "d", "--out", "fd.csv"], in: folder)
        #expect(lower.status == 0 && lower.out.hasPrefix("model: seasonal_naive\nchosen_by: --model\nfirst_forecast_date: "), "\(lower.out)\(lower.err)")

        var table = "id,visits,region,churned\n"
        for i in 0..<200 { table += "c\(i),\(i % 7),\(i % 3 == 0 ? "East" : "North"),\(i % 7 < 2 || i % 5 == 0 ? 1 : 0)\n" }
        try table.write(to: folder.appendingPathComponent("c.csv"), atomically: true, encoding: .utf8)
        var churnOptions = DataChurn.Options(path: folder.appendingPathComponent("c.csv").path, label: "churned")
        churnOptions.id = "id"
        let churn = try DataChurn.run(churnOptions)
        let cj = churn.json
        #expect(cj[path: "rows"] == .int(200) && cj[path: "cross_validation.auc"] == churn.auc.map { .double($0) })
        #expect(churn.coefficients.map(\.feature) == ["intercept", "visits", "region=East"])
        #expect(churn.encoding == ["region: categorical, 2 level(s); reference North"])
        let text = try runWarroom(["churn", "--data", "c.csv", "--label", "churned", "--id", "id"], in: folder)
        #expect(text.status == 0 && text.out.contains("  rows: 200\n  positive_rows: \(churn.positives)\n"), "\(text.out)")
        #expect(text.out.contains(String(format: "    visits: %+.4f ± %.4f\n", churn.coefficients[1].estimate ?? .nan, churn.coefficients[1].standardError ?? .nan)))
    }
}
