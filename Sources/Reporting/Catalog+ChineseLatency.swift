/// The Simplified Chinese catalog, continued: the latency lab's warnings about points the
/// machine's stalls decided (the first part is in `Catalog+Chinese.swift`).
extension Catalog {
    static let chineseLatencyPairs: [(String, String)] = [
        ("{0} (p99 {1} µs)", "{0}（p99 {1} µs）"),
        ("{0} (p99 {1} µs, stalls alone {2} µs)", "{0}（p99 {1} µs，仅停顿即 {2} µs）"),
        ("Hollow points: this machine's stalls, not the load, decided the tail at {0} — replayed alone against that load's schedule they give at least half its p99, or its p99 is above that of a higher load, which more load alone cannot do. Read those points as the machine's moment, not the engine's curve.",
         "空心点：在 {0} 处决定尾部延迟的是本机的停顿而非负载——仅将这些停顿按该负载的发送计划回放，就得到其 p99 的至少一半；或其 p99 高于更高负载下的 p99，而单靠负载增加不可能如此。请把这些点视为机器当时的状态，而不是引擎的曲线。"),
    ]
}
