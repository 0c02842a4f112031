import CRM

/// What `fieldsync demo` narrates for a person, in English and Simplified Chinese: its
/// sections, what each device did and what the devices converged to. A `Catalogue`: a key
/// without both texts does not compile, and `CLILanguageTests` checks the placeholders. Names,
/// values, ids and replica ids are filled in as they are.
public enum DemoString: String, Catalogue {
    case serverMissing, fixturesMissing, noEnrollmentCode, needsTwoAccounts, noOpenOpportunity
    case sectionServer, serverListening, sectionEnroll, enrolledDevice
    case sectionOffline, opportunity, firstEdits, secondEdits, thirdEdits
    case sectionSync, syncOrder, syncedDevice
    case sectionConverged, identicalState, differentState, amountShown, competingValue
    case deletedWhileEdited, outcomeDeleted, outcomeKept, conflictOpen, conflictNone, samplesAndTags
    case sectionConflicts, converged, notConverged, listSeparator

    public var texts: (english: String, chinese: String) {
        switch self {
        case .serverMissing: return ("fieldsync-server not found at {path}; build it with `swift build` or pass --server-executable", "{path} 处没有 fieldsync-server；请用 `swift build` 构建它，或用 --server-executable 指定")
        case .fixturesMissing: return ("fixtures/crm-demo.json not found; run from the repository root or pass --fixtures", "找不到 fixtures/crm-demo.json；请在仓库根目录下运行，或用 --fixtures 指定")
        case .noEnrollmentCode: return ("no enrollment code in what `fieldsync-server user add` printed: {output}", "`fieldsync-server user add` 的输出里没有注册码：{output}")
        case .needsTwoAccounts: return ("the data set needs two accounts in territory east", "数据集需要区域 east 中至少两个客户")
        case .noOpenOpportunity: return ("the data set has no open opportunity", "数据集中没有进行中的商机")
        case .sectionServer: return ("1. Server on a temporary embedded SQLite store", "1. 服务器：使用临时的嵌入式 SQLite 数据库")
        case .serverListening: return ("  fieldsync-server listening on {url}, data set {file} imported", "  fieldsync-server 在 {url} 监听，已导入数据集 {file}")
        case .sectionEnroll: return ("2. Three reps enroll their devices and bootstrap", "2. 三名销售代表注册设备并完成首次同步")
        case .enrolledDevice: return ("  {name}: replica {replica}, {records} records in {rounds} round(s); accounts {accounts}, opportunities {opportunities}", "  {name}：副本 {replica}，{rounds} 轮收到 {records} 条记录；客户 {accounts} 个，商机 {opportunities} 个")
        case .sectionOffline: return ("3. Offline edits (no network)", "3. 离线修改（无网络）")
        case .opportunity: return ("opportunity '{title}'", "商机 '{title}'")
        case .firstEdits: return ("  {name}: {opportunity} amount → {amount}; {account} phone → {phone}; {sampled} +{samples} samples, tag +{tag}", "  {name}：{opportunity} 金额 → {amount}；{account} 电话 → {phone}；{sampled} 样品 +{samples}，标签 +{tag}")
        case .secondEdits: return ("  {name}: {opportunity} amount → {amount}; {sampled} +{samples} samples, tag −{tag}", "  {name}：{opportunity} 金额 → {amount}；{sampled} 样品 +{samples}，标签 −{tag}")
        case .thirdEdits: return ("  {name}: deletes {account}; {sampled} +{samples} samples, tag +{tag} (re-added)", "  {name}：删除 {account}；{sampled} 样品 +{samples}，标签 +{tag}（重新添加）")
        case .sectionSync: return ("4. Sync in a shuffled order", "4. 按随机顺序同步")
        case .syncOrder: return ("  seed {seed}: order {order}, then everyone once more", "  随机种子 {seed}：顺序 {order}，然后每台设备再同步一次")
        case .syncedDevice: return ("  {name} pushed {pushed}, accepted {accepted}, rejected {rejected}, pulled {pulled}, conflicts opened {opened}", "  {name} 推送 {pushed}，接受 {accepted}，拒绝 {rejected}，拉取 {pulled}，新增冲突 {opened}")
        case .sectionConverged: return ("5. Converged state", "5. 收敛后的状态")
        case .identicalState: return ("  {name}: identical state, {n} open conflict(s)", "  {name}：状态一致，待处理的冲突 {n} 个")
        case .differentState: return ("  {name}: DIFFERENT state, {n} open conflict(s)", "  {name}：状态不一致，待处理的冲突 {n} 个")
        case .amountShown: return ("  {opportunity} amount shows {value} (display winner by HLC); competing values:", "  {opportunity} 金额显示 {value}（按 HLC 选出显示的值）；相互竞争的值：")
        case .competingValue: return ("    - {value} by {author} at {time}", "    - {value}，来自 {author}，时间 {time}")
        case .deletedWhileEdited: return ("  {account}: deleted by {deleter} while {editor} edited it → {outcome}, delete-vs-edit conflict {conflict}", "  {account}：{editor} 修改时被 {deleter} 删除 → {outcome}，删除与修改冲突：{conflict}")
        case .outcomeDeleted: return ("deleted", "已删除")
        case .outcomeKept: return ("kept (update wins)", "保留（修改优先）")
        case .conflictOpen: return ("open", "待处理")
        case .conflictNone: return ("none", "无")
        case .samplesAndTags: return ("  {account}: samples given {value} ({sum}), tags {tags} ('{tag}' removed by {remover}, re-added by {adder}: add wins)", "  {account}：已送样品 {value}（{sum}），标签 {tags}（'{tag}' 被 {remover} 移除、被 {adder} 重新添加：添加优先）")
        case .sectionConflicts: return ("6. Conflicts for an admin", "6. 待管理员处理的冲突")
        case .converged: return ("All {n} devices converged.", "全部 {n} 台设备已收敛。")
        case .notConverged: return ("Devices did NOT converge.", "设备没有收敛。")
        case .listSeparator: return (", ", "、")
        }
    }
}
