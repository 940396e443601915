import Foundation
import WarRoomCore

extension YAMLValue {
    /// A condition such as `> 0.052` or `<= -0.18`.
    func condition() throws -> Condition {
        let text = try string().trimmingCharacters(in: .whitespaces)
        for op in [ComparisonOperator.atLeast, .atMost, .equal, .notEqual, .above, .below] where text.hasPrefix(op.rawValue) {
            let rest = text.dropFirst(op.rawValue.count).trimmingCharacters(in: .whitespaces)
            guard let v = Double(decimal: rest) else { break }
            return Condition(op, v)
        }
        throw error("expected a condition such as '> 0.052', '<= -0.18' or '== 1', got '\(text)'")
    }
}
