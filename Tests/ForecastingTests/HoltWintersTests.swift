import Foundation
import WarRoomCore
import Forecasting
import Testing

/// Monthly international airline passengers 1949–1960, thousands (Box & Jenkins, series G;
/// R's `datasets::AirPassengers`).
let airPassengers: [Double] = [
    112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118, 115, 126, 141, 135, 125, 149, 170, 170, 158, 133, 114, 140,
    145, 150, 178, 163, 172, 178, 199, 199, 184, 162, 146, 166, 171, 180, 193, 181, 183, 218, 230, 242, 209, 191, 172, 194,
    196, 196, 236, 235, 229, 243, 264, 272, 237, 211, 180, 201, 204, 188, 235, 227, 234, 264, 302, 293, 259, 229, 203, 229,
    242, 233, 267, 269, 270, 315, 364, 347, 312, 274, 237, 278, 284, 277, 317, 313, 318, 374, 413, 405, 355, 306, 271, 306,
    315, 301, 356, 348, 355, 422, 465, 467, 404, 347, 305, 336, 340, 318, 362, 348, 363, 435, 491, 505, 404, 359, 310, 337,
    360, 342, 406, 396, 420, 472, 548, 559, 463, 407, 362, 405, 417, 391, 419, 461, 472, 535, 622, 606, 508, 461, 390, 432,
]

@Suite("Holt-Winters against R's published output")
struct HoltWintersTests {
    /// R stops its L-BFGS-B search a little earlier than this Nelder–Mead does: agreement is to ~1e-5.
    @Test("HoltWinters(AirPassengers, seasonal = \"multiplicative\"): α, β, γ, a, b and s1…s12 as R prints them")
    func multiplicative() throws {
        let hw = try HoltWinters.fit(airPassengers, period: 12, seasonal: .multiplicative)
        #expect(abs(hw.alpha - 0.2755925) < 1e-4, "alpha \(hw.alpha)")
        #expect(abs(hw.beta - 0.03269295) < 1e-3, "beta \(hw.beta)")
        #expect(abs(hw.gamma - 0.8707292) < 1e-4, "gamma \(hw.gamma)")
        #expect(abs(hw.level - 469.3232206) < 0.01, "a \(hw.level)")
        #expect(abs(hw.trend - 3.0215391) < 0.01, "b \(hw.trend)")
        let s = [0.9464611, 0.8829239, 0.9717369, 1.0304825, 1.0476884, 1.1805272, 1.3590778, 1.3331706, 1.1083381, 0.9868813, 0.8361333, 0.9209877]
        for i in 0..<12 { #expect(abs(hw.season[i] - s[i]) < 1e-4, "s\(i + 1) \(hw.season[i])") }
    }

    @Test("HoltWinters(AirPassengers) additive: α = 0.2479595, β = 0.03453373, γ = 1")
    func additive() throws {
        let hw = try HoltWinters.fit(airPassengers, period: 12, seasonal: .additive)
        #expect(abs(hw.alpha - 0.2479595) < 1e-3, "alpha \(hw.alpha)")
        #expect(abs(hw.beta - 0.03453373) < 1e-3, "beta \(hw.beta)")
        #expect(hw.gamma > 0.999, "gamma \(hw.gamma)")
    }
}

@Suite("A public monthly series through the CSV reader")
struct PublicMonthlySeriesTests {
    @Test("AirPassengers as a monthly long-format CSV: the reader's grid, R's Holt-Winters fit, a multiplicative season for ETS")
    func airPassengersThroughCSV() throws {
        var text = "unique_id,ds,y\n"
        for (i, v) in airPassengers.enumerated() {
            text += String(format: "AirPassengers,%04d-%02d-01,%.0f\n", 1949 + i / 12, i % 12 + 1, v)
        }
        let loaded = try PanelLoader(frequency: .monthly).load(CSVTable.parse(Data(text.utf8), file: "air.csv"))
        #expect(loaded.panel.season == 12 && loaded.end == 144 && loaded.panel.seasonPosition[13] == 1)
        #expect(loaded.dates.last?.description == "1960-12-01")
        let y = loaded.panel.values[0]
        let hw = try HoltWinters.fit(y, period: 12, seasonal: .multiplicative)
        #expect(abs(hw.alpha - 0.2755925) < 1e-4 && abs(hw.beta - 0.03269295) < 1e-4 && abs(hw.gamma - 0.8707292) < 1e-4)
        // R's forecast for January 1961 from those coefficients: (a + b) · s1.
        #expect(abs(hw.forecast(horizon: 1)[0] - (469.3232206 + 3.0215391) * 0.9464611) < 0.1)
        let ets = try ETS.auto(y, period: 12)
        #expect(ets.model.season == .multiplicative, "chose \(ets.model)")
    }
}
