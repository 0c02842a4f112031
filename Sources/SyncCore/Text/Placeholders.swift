/// The `{name}` holes of a sentence of a catalogue (`RefusalSentence`, CRM's `Catalogue`s),
/// filled in one place.
public enum Placeholders {
    /// `template` with each `{name}` replaced by its value, in one pass (a value that holds
    /// `{…}` is kept as it is); a `{name}` without a value stays as it is.
    public static func fill(_ template: String, _ values: [String: String]) -> String {
        guard !values.isEmpty else { return template }
        return template.replacing(/\{(\w+)\}/) { hole in values[String(hole.output.1)] ?? String(hole.output.0) }
    }
}
