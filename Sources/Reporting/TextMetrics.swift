/// Widths of chart text estimated without a browser, so that the SVG charts can reserve room for
/// their labels, wrap titles and shorten what does not fit.
///
/// Latin text is measured with the advance widths of DejaVu Sans (regular and bold), one of the
/// widest common sans-serif faces and the one Debian's Chromium falls back to for `system-ui`:
/// text laid out for it also fits the narrower faces other systems pick (Segoe UI, San Francisco,
/// Helvetica). Chinese, Japanese and Korean characters and full-width forms are one em wide, as
/// in every CJK face. Anything else counts as 0.84 em, the width of DejaVu's arithmetic signs.
public enum TextMetrics {
    /// Advance widths of U+0020…U+007E in thousandths of an em, DejaVu Sans Book.
    static let regular: [UInt16] = [
        318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
        636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632,
        575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685,
        611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579,
        278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
    ]
    /// The same for DejaVu Sans Bold (what `font-weight: 600` selects).
    static let bold: [UInt16] = [
        348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696,
        696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683,
        683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771,
        724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665,
        343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
    ]
    /// Non-ASCII characters the reports use that are narrower than the default.
    static let narrow: [Unicode.Scalar: UInt16] = [
        "£": 636, "¥": 636, "°": 500, "²": 401, "³": 401, "µ": 636, "·": 318, "é": 615, "–": 500, "’": 318,
        "‘": 318, "“": 518, "”": 518, "€": 636, "\u{00A0}": 318, "\u{202F}": 318,
    ]

    /// Whether a scalar is drawn one em wide (CJK ideographs, kana, hangul, CJK punctuation,
    /// full-width forms).
    public static func isWide(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3040...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF,
             0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// The width of one scalar in ems.
    static func ems(_ u: Unicode.Scalar, bold: Bool) -> Double {
        if u.value >= 0x20 && u.value <= 0x7E { return Double((bold ? Self.bold : regular)[Int(u.value - 0x20)]) / 1000 }
        if isWide(u) { return 1 }
        if u.properties.generalCategory == .nonspacingMark || u.properties.generalCategory == .enclosingMark { return 0 }
        if let w = narrow[u] { return Double(w) / 1000 * (bold ? 1.1 : 1) }
        return u == "…" || u == "—" ? 1 : 0.838
    }

    /// The estimated width of `text` at `size` pixels (the SVG's user units).
    ///
    /// - Parameters:
    ///   - text: the text, as drawn on one line.
    ///   - size: the font size in pixels.
    ///   - bold: whether it is drawn bold (chart titles).
    public static func width<S: StringProtocol>(_ text: S, size: Double, bold: Bool = false) -> Double {
        var ems = 0.0
        for u in text.unicodeScalars { ems += Self.ems(u, bold: bold) }
        return ems * size
    }

    /// Where a line may break before the character at each index: after a space, or next to a
    /// wide character (CJK text has no spaces).
    static func breakable(_ chars: [Character], at i: Int) -> Bool {
        guard i > 0, i < chars.count else { return false }
        let before = chars[i - 1], here = chars[i]
        if before == " " { return here != " " }
        let wideBefore = before.unicodeScalars.first.map(isWide) ?? false, wideHere = here.unicodeScalars.first.map(isWide) ?? false
        // Not before closing punctuation (，。）：、), which stays with the word it ends.
        if wideHere, let u = here.unicodeScalars.first, "，。、；：）》」』！？".unicodeScalars.contains(u) { return false }
        return (wideBefore || wideHere) && here != " "
    }

    /// `text` shortened to fit `maxWidth`: cut at the last word boundary that fits (any character
    /// boundary in CJK text, or inside a word when its first word alone is too long) and ended
    /// with "…"; the text itself when it fits.
    ///
    /// - Parameters:
    ///   - text: the full text.
    ///   - maxWidth: the room, in pixels.
    ///   - size: the font size in pixels.
    ///   - bold: whether it is drawn bold.
    public static func shortened(_ text: String, toFit maxWidth: Double, size: Double, bold: Bool = false) -> String {
        if width(text, size: size, bold: bold) <= maxWidth { return text }
        let chars = Array(text), room = maxWidth - width("…", size: size, bold: bold)
        var fitting = 0, used = 0.0
        while fitting < chars.count {
            let w = width(String(chars[fitting]), size: size, bold: bold)
            if used + w > room { break }
            used += w
            fitting += 1
        }
        var cut = fitting
        while cut > 0 && !breakable(chars, at: cut) { cut -= 1 }
        // A word boundary in the first third would waste the room: cut inside the word instead.
        if cut < fitting / 3 { cut = fitting }
        var head = String(chars[..<cut])
        while head.last == " " || head.last == "," || head.last == ":" || head.last == "/" || head.last == "(" { head.removeLast() }
        return head + "…"
    }

    /// `text` broken into lines of at most `maxWidth` at word boundaries (CJK at any character),
    /// at most `maxLines` of them, the last shortened with "…" when the text is longer.
    ///
    /// - Parameters:
    ///   - text: the full text.
    ///   - maxWidth: the width of a line, in pixels.
    ///   - size: the font size in pixels.
    ///   - bold: whether it is drawn bold.
    ///   - maxLines: the most lines to use.
    public static func wrapped(_ text: String, width maxWidth: Double, size: Double, bold: Bool = false, maxLines: Int = 3) -> [String] {
        let chars = Array(text)
        var lines: [String] = [], start = 0
        while start < chars.count && lines.count < max(1, maxLines) - 1 {
            if width(String(chars[start...]), size: size, bold: bold) <= maxWidth { break }
            var end = start, lastBreak = -1, used = 0.0
            while end < chars.count {
                if end > start && breakable(chars, at: end) { lastBreak = end }
                used += width(String(chars[end]), size: size, bold: bold)
                if used > maxWidth { break }
                end += 1
            }
            let cut = lastBreak > start ? lastBreak : max(start + 1, end)
            lines.append(String(chars[start..<cut]).trimmedTrailingSpaces)
            start = cut
            while start < chars.count && chars[start] == " " { start += 1 }
        }
        if start < chars.count { lines.append(shortened(String(chars[start...]), toFit: maxWidth, size: size, bold: bold)) }
        return lines.isEmpty ? [""] : lines
    }
}

extension String {
    /// The string without the spaces it begins with.
    var trimmedLeadingSpaces: String { String(drop { $0 == " " }) }

    /// The string without the spaces it ends with.
    var trimmedTrailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
