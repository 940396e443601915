import Reporting
import Testing
@testable import WarRoomLab

@Suite("The load curve says when the machine's stalls decided a point")
struct LoadCurveWarningTests {
    /// A load point with the given p99 and, when given, the p99 the machine's stalls alone impose.
    func point(_ fraction: Double, p99: Double, stallsAlone: Double?) -> LoadSweep.LoadPoint {
        let machine = stallsAlone.map {
            MachineStalls.Floor(stallsPerSecond: 100, stalledShare: 0.01, stallP50: 20, stallP99: 40, stallMax: 60, p99: $0 / 2, p999: $0,
                                service: 0.3, p99AtService: $0, p999AtService: 2 * $0, eventUtilisation: fraction / 2, p99Bound: nil, utilisationForBound: nil)
        }
        return LoadSweep.LoadPoint(fraction: fraction, offered: fraction * 1e6, achieved: fraction * 1e6, p50: p99 / 4, p90: p99 / 2, p99: p99,
                                   p999: 2 * p99, p9999: 3 * p99, max: 4 * p99, late: 0, events: 500_000, alertDelayP50: 0, alertDelayP99: 0,
                                   distribution: [], machine: machine)
    }

    func sweep(_ points: [LoadSweep.LoadPoint]) -> LoadSweep {
        var s = LoadSweep(options: .init(scenarioPath: "", rulesPath: ""))
        s.load = points
        s.rules = 27
        s.peak = 1e6
        return s
    }

    @Test("A curve that rises with the load and whose stalls are small has no hollow point and no warning")
    func clean() {
        let s = sweep([point(0.25, p99: 2, stallsAlone: 0.5), point(0.5, p99: 3, stallsAlone: 1), point(1, p99: 40, stallsAlone: 2)])
        #expect(s.stallDominated == [false, false, false])
        #expect(s.loadChartWarning() == nil)
        #expect(s.loadChart()?.series.allSatisfy { $0.hollow.isEmpty } == true)
        #expect(s.loadChart()?.svg().contains("var(--bg, #fff)") == false)
    }

    @Test("Latency that falls as the load rises, or a p99 the stalls alone half explain, is drawn hollow and warned about")
    func flagged() throws {
        let s = sweep([point(0.25, p99: 9, stallsAlone: 0.5), point(0.5, p99: 3, stallsAlone: 2), point(0.75, p99: 4, stallsAlone: 1), point(1, p99: 40, stallsAlone: nil)])
        // 25 %: above the p99 of a higher load; 50 %: stalls alone give 2 of its 3 µs.
        #expect(s.stallDominated == [true, true, false, false])
        let warning = s.loadChartWarning()
        #expect(warning?.contains("25% (p99 9.00 µs, stalls alone 0.50 µs)") == true && warning?.contains("50% (p99 3.00 µs, stalls alone 2.00 µs)") == true)
        #expect(warning?.contains("75%") == false)
        let chart = try #require(s.loadChart())
        #expect(chart.series.first { $0.name == "p99" }?.hollow == [0, 1])
        #expect(chart.series.first { $0.name == "p50" }?.hollow.isEmpty == true)
        // Hollow dots: three tail series × two points.
        #expect(chart.svg().components(separatedBy: "fill=\"var(--bg, #fff)\"").count - 1 == 6)
        let json = s.json.rendered()
        #expect(json.contains("\"stall_dominated\": true") && json.contains("\"stall_dominated\": false"))
        // The floor is drawn as its own dashed line, one point per load that has it.
        #expect(chart.series.last?.name == "p99 floor: this machine's stalls alone" && chart.series.last?.points.count == 3)
    }

    @Test("A load of fewer than 200,000 events is not drawn, and the chart says so; none drawable, no chart")
    func undrawn() throws {
        var short = point(0.25, p99: 2, stallsAlone: 0.5)
        short.events = 150_000
        let s = sweep([short, point(0.5, p99: 3, stallsAlone: 1), point(1, p99: 40, stallsAlone: 2)])
        let chart = try #require(s.loadChart())
        #expect(chart.series.first { $0.name == "p99" }?.points.map(\.x) == [50, 100])
        #expect(s.undrawnNote()?.contains("25% (150,000 events)") == true)
        #expect(sweep([short]).loadChart() == nil)
        #expect(sweep([point(0.5, p99: 3, stallsAlone: 1)]).undrawnNote() == nil)
    }

    @Test("At half of peak the verdicts are the p99 over the machine's floor and the engine's own service time")
    func floorVerdicts() {
        var half = point(0.5, p99: 3, stallsAlone: 2)
        half.serviceP99 = 0.8
        half.serviceP999 = 6
        let v = LoadSweep.floorVerdicts(share: "50%", p99: half.p99, machine: half.machine, serviceP99: half.serviceP99, serviceP999: half.serviceP999)
        #expect(v.map(\.met) == [false, true, false])
        #expect(v[0].figure == "1.50× (3.00 of 2.00 µs)")
        let none = LoadSweep.floorVerdicts(share: "50%", p99: 3, machine: nil, serviceP99: nil, serviceP999: nil)
        #expect(none.allSatisfy { $0.met == nil })
    }
}
