/// The Simplified Chinese catalog, continued: the alerts' timeline and the latency lab's warnings
/// about points the machine's stalls decided (the first part is in `Catalog+Chinese.swift`).
extension Catalog {
    static let chineseLatencyPairs: [(String, String)] = [
        ("p99 over this machine's floor at {0} of peak (target ≤ 1.25×)", "峰值 {0} 负载下 p99 与本机下限之比（目标 ≤ 1.25×）"),
        ("{0}× ({1} of {2} µs)", "{0}×（{1} µs，下限 {2} µs）"),
        ("service time p99 at {0} of peak (target ≤ 1 µs)", "峰值 {0} 负载下服务时间 p99（目标 ≤ 1 µs）"),
        ("service time p99.9 at {0} of peak (target ≤ 5 µs)", "峰值 {0} 负载下服务时间 p99.9（目标 ≤ 5 µs）"),
        (" At half of it: p99 {0} µs, p99.9 {1} µs.", " 在其一半负载下：p99 {0} µs，p99.9 {1} µs。"),
        ("{0}: {1}, {2}", "{0}：{1}，{2}"),
        ("p99 floor: this machine's stalls alone", "p99 下限：仅本机停顿"),
        ("{0} ({1} events)", "{0}（{1} 个事件）"),
        ("Not drawn, fewer than 200,000 events each (too few to say anything about the tail): {0}; they are in the table.",
         "未绘出（每个少于 200,000 个事件，不足以说明尾部延迟）：{0}；它们列在表中。"),
        ("Alerts by tier and day", "按层级和日期的告警"),
        ("alerts per day (log)", "每日告警数（对数）"),
        ("The alert engine ran the rule file on the live stream (the history replayed as daily store summaries first, so year-over-year and baseline rules have their past). Each dot is the number of alerts one tier received on one day, on a log scale (a day without any is left out); the shaded span is each shock from true onset to its end.",
         "告警引擎在实时事件流上运行规则文件（先按门店日汇总回放历史，使同比和基线规则有其过去）。每个点是某一层级在某一天收到的告警数，采用对数刻度（没有告警的日子略去）；阴影区间是每次冲击从真实起点到结束。"),
        ("{0} (p99 {1} µs)", "{0}（p99 {1} µs）"),
        ("{0} (p99 {1} µs, stalls alone {2} µs)", "{0}（p99 {1} µs，仅停顿即 {2} µs）"),
        ("Hollow points: this machine's stalls, not the load, decided the tail at {0} — replayed alone against that load's schedule they give at least half its p99, or its p99 is above that of a higher load, which more load alone cannot do. Read those points as the machine's moment, not the engine's curve.",
         "空心点：在 {0} 处决定尾部延迟的是本机的停顿而非负载——仅将这些停顿按该负载的发送计划回放，就得到其 p99 的至少一半；或其 p99 高于更高负载下的 p99，而单靠负载增加不可能如此。请把这些点视为机器当时的状态，而不是引擎的曲线。"),
    ]
}
