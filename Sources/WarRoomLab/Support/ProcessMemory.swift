import Foundation

/// Memory figures of this process, from /proc (Linux); nil elsewhere.
public enum ProcessMemory {
    /// Peak resident set size in MiB (VmHWM).
    public static func peakResidentMiB() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2, let kb = Double(parts[1]) { return kb / 1024 }
        }
        return nil
    }

    /// Minor page faults of this process so far (getrusage); 0 where unavailable.
    public static var minorPageFaults: Int {
        var usage = rusage()
        #if os(Linux)
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        #else
        guard getrusage(RUSAGE_SELF, &usage) == 0 else { return 0 }
        #endif
        return Int(usage.ru_minflt)
    }
}
