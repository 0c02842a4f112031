extension Duration {
    /// The duration in seconds, as a floating-point number (timings, figures, lines people read).
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
