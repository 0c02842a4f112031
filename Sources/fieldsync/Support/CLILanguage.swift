import CRM
import FieldWork
import SyncCore

/// The language the CLI speaks: the first of `LC_ALL`, `LC_MESSAGES` and `LANG` that is set
/// (`Language.environment()`). Every text for people goes through `CLIString`, `RecordVerb`,
/// `SchemaLabels` or `CLIPhrases` in it; `--json` and CSV keep the English words scripts read.
let cliLanguage = Language.commandLine

/// The `Accept-Language` a command sends the server, which writes its error messages and
/// per-change rejections in it: the CLI's language, or none under `--json`, whose readers
/// are scripts that read English.
func serverLanguage(json: Bool) -> String? { json ? nil : cliLanguage.rawValue }

/// Names and values of the schema in the CLI's language.
enum Labels {
    static func entity(_ name: String) -> String { SchemaLabels.entity(name, cliLanguage) }

    /// A field's name as a table header: `NAME` in English, `名称` in Chinese.
    static func header(_ name: String) -> String { cliLanguage == .chinese ? SchemaLabels.field(name, cliLanguage) : name.uppercased() }

    static func field(_ name: String) -> String { SchemaLabels.field(name, cliLanguage) }

    /// A value of an enumeration field in the CLI's language; other values as they are.
    static func value(_ text: String, of field: FieldSchema?) -> String { SchemaLabels.value(text, of: field, cliLanguage) }

    /// A conflict kind: its code in English, its name in Chinese.
    static func conflictKind(_ kind: String) -> String {
        switch ConflictKind(rawValue: kind) {
        case .concurrentValues?: return CLIString.kindConcurrentValues()
        case .deleteVsEdit?: return CLIString.kindDeleteVsEdit()
        case .orphanReference?: return CLIString.kindOrphanReference()
        case .probableDuplicate?: return CLIString.kindProbableDuplicate()
        default: return kind
        }
    }
}
