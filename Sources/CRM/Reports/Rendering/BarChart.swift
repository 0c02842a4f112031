/// A bar or funnel chart of labelled values, independent of how it is drawn: the terminal
/// renderer and the SVG renderer draw the same model.
public struct BarChart: Hashable, Sendable, Codable {
    /// How bars are laid out.
    public enum Style: String, Hashable, Sendable, Codable {
        /// Horizontal bars growing from the left, labels on the left.
        case bars
        /// Bars centred on one axis, widest first in a funnel: stages of a pipeline.
        case funnel
    }

    /// One bar.
    public struct Bar: Hashable, Sendable, Codable {
        public var label: String
        /// The value the bar length is scaled from; negative values draw as empty bars.
        public var value: Amount
        /// The text shown beside the bar (the amount, "12 · 1449000.00").
        public var valueLabel: String

        public init(label: String, value: Amount, valueLabel: String? = nil) {
            self.label = label
            self.value = value
            self.valueLabel = valueLabel ?? value.description
        }
    }

    public var title: String
    public var bars: [Bar]
    public var style: Style

    public init(title: String, bars: [Bar], style: Style = .bars) {
        self.title = title
        self.bars = bars
        self.style = style
    }

    /// The largest value, the one a full-length bar stands for (zero when all are ≤ 0).
    public var maximum: Amount {
        bars.map(\.value).max().map { max($0, .zero) } ?? .zero
    }

    /// The length of `bar` as a fraction of the full length, from 0 to 1.
    public func fraction(of bar: Bar) -> Double {
        guard bar.value > .zero, let ratio = Amount.ratio(bar.value, maximum) else { return 0 }
        return min(1, max(0, ratio))
    }
}
