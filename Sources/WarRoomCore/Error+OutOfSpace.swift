import Foundation

extension Error {
    /// Whether this file-system error says the disk (or the user's quota) is full: `ENOSPC` or
    /// `EDQUOT` as a POSIX error, Foundation's out-of-space write error, or either as the
    /// underlying error of another.
    public var isOutOfSpace: Bool {
        let ns = self as NSError
        if ns.domain == NSPOSIXErrorDomain && (ns.code == Int(ENOSPC) || ns.code == Int(EDQUOT)) { return true }
        if ns.domain == NSCocoaErrorDomain && ns.code == CocoaError.fileWriteOutOfSpace.rawValue { return true }
        return (ns.userInfo[NSUnderlyingErrorKey] as? Error)?.isOutOfSpace ?? false
    }
}
