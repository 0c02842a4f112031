import CRM

/// Every string of the admin page, in English and Simplified Chinese. The templates read them
/// as `{{t.KEY}}`; `{name}` marks a value filled in by `AdminText`. A `Catalogue`: a switch over
/// every key keeps it complete at compile time; `AdminLanguageTests` checks that no template
/// holds words outside it.
enum AdminString: String, Catalogue {
    case appTitle
    case brandAdmin
    case dashboard
    case conflicts
    case people
    case signedInAs
    case signOut
    case language
    case signIn
    case signInCode
    case loginHelpCode
    case loginHelpAlso
    case loginHelpSession
    case pageInfo
    case status
    case search
    case searchHint
    case kind
    case any
    case entity
    case territory
    case territories
    case user
    case users
    case openForAtLeast
    case pageSize
    case filter
    case reset
    case byEntity
    case byKind
    case record
    case field
    case competingValues
    case opened
    case select
    case mergeSelected
    case mergeSelectedHelp
    case newer
    case older
    case noMatches
    case tabOpen
    case tabResolvedByEdit
    case tabResolvedByAdmin
    case tabDismissed
    case tabAll
    case anyTime
    case oneHour
    case oneDay
    case oneWeek
    case thirtyDays
    case perPage
    case ago
    case ageSeconds
    case ageMinutes
    case ageHours
    case ageDays
    case kindConcurrentValues
    case kindDeleteVsEdit
    case kindOrphanReference
    case kindProbableDuplicate
    case statusOpen
    case statusResolvedByEdit
    case statusResolvedByAdmin
    case statusDismissed
    case conflict
    case history
    case openedBy
    case displayed
    case outcome
    case closed
    case chosenBy
    case writtenBy
    case anAdmin
    case aDevice
    case badgeDisplayed
    case badgeKept
    case badgeRejected
    case device
    case devices
    case writtenHLC
    case received
    case write
    case log
    case keepThisValue
    case mergeFieldByField
    case mergeHelp
    case recordThatStays
    case thisOne
    case noteOptional
    case merge
    case resolve
    case enterNewValue
    case saveValue
    case dismissHelp
    case reason
    case dismiss
    case beforeConflict
    case now
    case relatedNow
    case competing
    case deletedRow
    case yes
    case no
    case keepRecord
    case keepRecordHelp
    case restoreTarget
    case restoreTargetHelp
    case deleteRecord
    case deleteRecordHelp
    case deleted
    case created
    case kept
    case who
    case change
    case conflictBadge
    case shown
    case concurrentWith
    case server
    case openConflicts
    case devicesSynced
    case usersCount
    case pipelineChart
    case conversionChart
    case pipelineReport
    case peopleAndDevices
    case usersHeading
    case name
    case role
    case team
    case newCode
    case enrolled
    case lastSync
    case never
    case deviceActive
    case deviceRevoked
    case deviceWiped
    case revoke
    case wipe
    case flashResolved
    case flashDismissed
    case flashRevoked
    case flashWiped
    case notSignedOut
    case notSaved
    case staleForm
    case cannotListConflicts
    case merged
    case partlyMerged
    case mergedText
    case notMerged
    case noChart
    case codeFor
    case codeText
    case backToPeople
    case backToConflicts
    case noCode
    case notDone
    case noHistory
    case noSuchConflict
    case notAvailable

    var texts: (english: String, chinese: String) {
        switch self {
        case .appTitle: return ("FieldSync admin", "FieldSync 管理后台")
        case .brandAdmin: return ("admin", "管理后台")
        case .dashboard: return ("Dashboard", "概览")
        case .conflicts: return ("Conflicts", "冲突")
        case .people: return ("People", "人员")
        case .signedInAs: return ("signed in as", "当前用户")
        case .signOut: return ("Sign out", "退出登录")
        case .language: return ("Language", "语言")
        case .signIn: return ("Sign in", "登录")
        case .signInCode: return ("Sign-in code", "登录码")
        case .loginHelpCode: return ("Type a one-time sign-in code of an admin:", "请输入管理员的一次性登录码：")
        case .loginHelpAlso: return ("prints one (so does", "可以生成一个（")
        case .loginHelpSession: return ("). The code works once; this browser then holds only a random session cookie, for eight hours or until you sign out.", "也可以）。登录码只能使用一次；之后浏览器只保存一个随机的会话 Cookie，有效期八小时或直到退出登录。")
        case .pageInfo: return ("{total} matching · page {page} of {pages}", "共 {total} 条 · 第 {page} 页，共 {pages} 页")
        case .status: return ("Status", "状态")
        case .search: return ("Search", "搜索")
        case .searchHint: return ("name, phone, id", "名称、电话、编号")
        case .kind: return ("Kind", "类型")
        case .any: return ("any", "全部")
        case .entity: return ("Entity", "对象")
        case .territory: return ("Territory", "区域")
        case .territories: return ("Territories", "区域")
        case .user: return ("User", "用户")
        case .users: return ("Users", "用户")
        case .openForAtLeast: return ("Open for at least", "未解决至少")
        case .pageSize: return ("Page size", "每页条数")
        case .filter: return ("Filter", "筛选")
        case .reset: return ("Reset", "重置")
        case .byEntity: return ("By entity:", "按对象：")
        case .byKind: return ("By kind:", "按类型：")
        case .record: return ("Record", "记录")
        case .field: return ("Field", "字段")
        case .competingValues: return ("Competing values", "冲突的值")
        case .opened: return ("Opened", "发生时间")
        case .select: return ("select", "选择")
        case .mergeSelected: return ("Merge selected duplicates", "合并所选重复记录")
        case .mergeSelectedHelp: return ("with the suggested values: the record created first stays, each field keeps the newer non-empty value.", "采用建议值：保留最先创建的记录，每个字段保留较新的非空值。")
        case .newer: return ("newer", "较新")
        case .older: return ("older", "较早")
        case .noMatches: return ("No conflicts match these filters.", "没有符合筛选条件的冲突。")
        case .tabOpen: return ("Open", "待处理")
        case .tabResolvedByEdit: return ("Resolved by edit", "已由修改解决")
        case .tabResolvedByAdmin: return ("Resolved by admin", "已由管理员解决")
        case .tabDismissed: return ("Dismissed", "已忽略")
        case .tabAll: return ("All", "全部")
        case .anyTime: return ("any time", "不限")
        case .oneHour: return ("1 hour", "1 小时")
        case .oneDay: return ("1 day", "1 天")
        case .oneWeek: return ("1 week", "1 周")
        case .thirtyDays: return ("30 days", "30 天")
        case .perPage: return ("{n} per page", "每页 {n} 条")
        case .ago: return ("{age} ago", "{age}前")
        case .ageSeconds: return ("{n} s", "{n} 秒")
        case .ageMinutes: return ("{n} min", "{n} 分钟")
        case .ageHours: return ("{n} h", "{n} 小时")
        case .ageDays: return ("{n} d", "{n} 天")
        case .kindConcurrentValues: return ("concurrent edits", "并发修改")
        case .kindDeleteVsEdit: return ("delete vs edit", "删除与修改冲突")
        case .kindOrphanReference: return ("orphan reference", "失效引用")
        case .kindProbableDuplicate: return ("probable duplicate", "疑似重复")
        case .statusOpen: return ("open", "待处理")
        case .statusResolvedByEdit: return ("resolved by edit", "已由修改解决")
        case .statusResolvedByAdmin: return ("resolved by admin", "已由管理员解决")
        case .statusDismissed: return ("dismissed", "已忽略")
        case .conflict: return ("Conflict", "冲突")
        case .history: return ("history", "历史")
        case .openedBy: return ("{time} by {user}", "{time}，来自 {user}")
        case .displayed: return ("Displayed", "当前显示")
        case .outcome: return ("Outcome", "结果")
        case .closed: return ("Closed", "关闭时间")
        case .chosenBy: return ("chosen by {name}", "由 {name} 选定")
        case .writtenBy: return ("written by {name}", "由 {name} 写入")
        case .anAdmin: return ("an admin", "管理员")
        case .aDevice: return ("a device", "设备")
        case .badgeDisplayed: return ("displayed", "显示中")
        case .badgeKept: return ("kept", "保留")
        case .badgeRejected: return ("rejected", "已舍弃")
        case .device: return ("Device", "设备")
        case .devices: return ("Devices", "设备")
        case .writtenHLC: return ("Written (HLC)", "写入时间（HLC）")
        case .received: return ("Received", "接收时间")
        case .write: return ("Write", "写入")
        case .log: return ("log", "日志")
        case .keepThisValue: return ("Keep this value", "保留此值")
        case .mergeFieldByField: return ("Merge field by field", "逐字段合并")
        case .mergeHelp: return ("Contacts, deals and visits of the record that goes move to the one that stays. For each field that differs, pick the value to keep (the newer non-empty one is picked); identical fields are greyed.", "被合并记录的联系人、商机和拜访会转到保留的记录上。对每个不同的字段选择要保留的值（默认选中较新的非空值）；相同的字段显示为灰色。")
        case .recordThatStays: return ("Record that stays", "保留的记录")
        case .thisOne: return ("this one", "保留这条")
        case .noteOptional: return ("note (optional)", "备注（可选）")
        case .merge: return ("Merge", "合并")
        case .resolve: return ("Resolve", "处理")
        case .enterNewValue: return ("Enter a new value for", "输入新的值：")
        case .saveValue: return ("Save value", "保存")
        case .dismissHelp: return ("Dismiss (no change to the record)", "忽略（不修改记录）")
        case .reason: return ("reason", "原因")
        case .dismiss: return ("Dismiss", "忽略")
        case .beforeConflict: return ("Before the conflict", "冲突之前")
        case .now: return ("Now", "现在")
        case .relatedNow: return ("{entity} {id} now", "{entity} {id} 现在")
        case .competing: return ("competing: {values}", "冲突值：{values}")
        case .deletedRow: return ("(deleted)", "（已删除）")
        case .yes: return ("yes", "是")
        case .no: return ("no", "否")
        case .keepRecord: return ("Keep the record", "保留记录")
        case .keepRecordHelp: return ("Undo the delete: the record stays with the edits.", "撤销删除：记录连同修改一起保留。")
        case .restoreTarget: return ("Restore the {entity}", "恢复该{entity}")
        case .restoreTargetHelp: return ("Bring back the deleted {entity} the reference names.", "恢复引用所指向的已删除{entity}。")
        case .deleteRecord: return ("Delete the {entity}", "删除该{entity}")
        case .deleteRecordHelp: return ("Delete this record on every device.", "在所有设备上删除这条记录。")
        case .deleted: return ("deleted", "已删除")
        case .created: return ("created", "新建")
        case .kept: return ("kept", "保留")
        case .who: return ("Who", "用户")
        case .change: return ("Change", "变更")
        case .conflictBadge: return ("conflict", "冲突")
        case .shown: return ("shown:", "显示：")
        case .concurrentWith: return ("concurrent with {writers}", "与 {writers} 并发")
        case .server: return ("server", "服务器")
        case .openConflicts: return ("open conflicts", "个待处理冲突")
        case .devicesSynced: return ("of {n} devices synced in the last 24 h", "台设备在 24 小时内同步过（共 {n} 台）")
        case .usersCount: return ("users", "个用户")
        case .pipelineChart: return ("Pipeline (open deals by stage)", "销售漏斗（按阶段的进行中商机）")
        case .conversionChart: return ("Lead conversion", "线索转化")
        case .pipelineReport: return ("Pipeline report", "销售漏斗报表")
        case .peopleAndDevices: return ("People and devices", "人员与设备")
        case .usersHeading: return ("Users", "用户")
        case .name: return ("Name", "姓名")
        case .role: return ("Role", "角色")
        case .team: return ("Team", "团队")
        case .newCode: return ("New one-time code", "生成一次性码")
        case .enrolled: return ("Enrolled", "注册时间")
        case .lastSync: return ("Last sync", "最近同步")
        case .never: return ("never", "从未")
        case .deviceActive: return ("active", "正常")
        case .deviceRevoked: return ("revoked", "已吊销")
        case .deviceWiped: return ("wiped", "已擦除")
        case .revoke: return ("Revoke", "吊销")
        case .wipe: return ("Wipe (lost phone)", "远程擦除（手机丢失）")
        case .flashResolved: return ("Resolved. Devices receive the resolution on their next sync.", "已处理。设备将在下次同步时收到处理结果。")
        case .flashDismissed: return ("Dismissed. The record was left as it is.", "已忽略。记录保持不变。")
        case .flashRevoked: return ("Revoked. The device's requests are refused from now on.", "已吊销。此后该设备的请求都会被拒绝。")
        case .flashWiped: return ("Wiped. The device deletes its local data at its next request.", "已擦除。该设备将在下次请求时删除本地数据。")
        case .notSignedOut: return ("Not signed out", "未能退出登录")
        case .notSaved: return ("Not saved", "未保存")
        case .staleForm: return ("The form was stale; reload the page and try again.", "表单已过期，请刷新页面后重试。")
        case .cannotListConflicts: return ("Cannot list conflicts", "无法列出冲突")
        case .merged: return ("Merged", "已合并")
        case .partlyMerged: return ("Partly merged", "部分已合并")
        case .mergedText: return ("Merged {merged} of {total} selected pair(s) with the suggested values.", "已按建议值合并所选 {total} 对中的 {merged} 对。")
        case .notMerged: return ("Not merged:", "未合并：")
        case .noChart: return ("No chart", "没有图表")
        case .codeFor: return ("A one-time code for {name}", "{name} 的一次性码")
        case .codeText: return ("Give {name} this code to enroll a phone (fieldsync enroll --code) or, for an admin, to sign in here. It works once.", "把这个码交给 {name}，用于注册手机（fieldsync enroll --code），管理员也可用它在此登录。只能使用一次。")
        case .backToPeople: return ("Back to people", "返回人员")
        case .backToConflicts: return ("Back to the conflicts", "返回冲突列表")
        case .noCode: return ("No code", "未生成")
        case .notDone: return ("Not done", "未完成")
        case .noHistory: return ("No history", "没有历史")
        case .noSuchConflict: return ("No such conflict", "没有这个冲突")
        case .notAvailable: return ("Not available", "不可用")
        }
    }
}
