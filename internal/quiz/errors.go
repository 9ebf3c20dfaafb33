package quiz

import (
	"errors"
	"fmt"
	"time"
)

// Error codes. Adapters map each to a reply; anything that is not an *Error is EINTERNAL.
const (
	EINVALID   = "invalid"
	ENOTFOUND  = "not_found"
	ECONFLICT  = "conflict"
	EFORBIDDEN = "forbidden"
	// ERATELIMIT: the member or their server did this too often; the message says when to
	// try again.
	ERATELIMIT = "rate_limited"
	EINTERNAL  = "internal"
)

// Error is an outcome a user should see: Message is safe to show as it is.
type Error struct {
	Code    string
	Message string

	// format and args rebuild the message in another language (see MessageIn).
	format string
	args   []any
}

func (e *Error) Error() string { return fmt.Sprintf("quiz: %s: %s", e.Code, e.Message) }

// Errorf returns an *Error with a formatted, user-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), format: format, args: args}
}

// ErrorCode returns the code of the first *Error in err's chain, "" for nil, else EINTERNAL.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of err, or a generic one for internal errors.
func ErrorMessage(err error) string { return ErrorMessageIn(err, English) }

// ErrorMessageIn returns the user-safe message of err in language l when a translation exists.
// Moments in it (At) read as a date and time in the member's zone.
func ErrorMessageIn(err error, l Lang) string { return ErrorMessageWith(err, l, At.String) }

// At is a moment in a message, with the zone of the member who reads it. Adapters choose how
// it reads: the console as a local date and time, Discord as a timestamp each client localises.
type At struct {
	Time time.Time
	Zone *time.Location
}

// String is the moment as a date and time in its zone, named: "2026-03-02 17:10 Asia/Shanghai".
func (a At) String() string {
	z := a.Zone
	if z == nil {
		z = time.UTC
	}
	return a.Time.In(z).Format("2006-01-02 15:04") + " " + z.String()
}

// ErrorMessageWith is ErrorMessageIn with the adapter's rendering of moments.
func ErrorMessageWith(err error, l Lang, at func(At) string) string {
	var e *Error
	if !errors.As(err, &e) || e.Code == EINTERNAL {
		if l == Chinese {
			return "出了点问题，错误已记录，请稍后再试。"
		}
		return "Something went wrong. The error was logged; please try again."
	}
	args, hasAt := make([]any, len(e.args)), false
	for i, v := range e.args {
		if t, ok := v.(At); ok {
			v, hasAt = at(t), true
		}
		args[i] = v
	}
	if l == Chinese {
		if f, ok := zhErrors[e.format]; ok {
			return fmt.Sprintf(f, args...)
		}
	}
	if hasAt {
		return fmt.Sprintf(e.format, args...)
	}
	return e.Message
}

// zhErrors translates the messages members see most; the arguments stay in the same order.
var zhErrors = map[string]string{
	"This answer has not been revealed yet.": "这道题的答案还没有公布。",
	"There is no topic %s. Topics: %s.":      "没有主题 %s。可选主题：%s。",
	"This command works only in a server.":   "此命令只能在服务器中使用。",
	"Only moderators can do this: you need the Manage Server permission or the server's moderator role.":                                                   "只有管理员可以这样做：需要“管理服务器”权限或本服务器的管理员角色。",
	"Invalid time %s: use 24-hour HH:MM, for example 09:00 or 18:30.":                                                                                      "时间 %s 无效：请使用 24 小时制 HH:MM，例如 09:00 或 18:30。",
	"Invalid days %s: use weekdays, weekends, every day, or names like mon,wed,fri.":                                                                       "日期 %s 无效：请使用 weekdays、weekends、every day，或 mon,wed,fri 这样的星期名。",
	"No daily question is set up here. A moderator can start one with /daily setup.":                                                                       "这里还没有设置每日一题。管理员可以用 /daily setup 开启。",
	"No daily question is set up here. Start one with /daily setup.":                                                                                       "这里还没有设置每日一题。请用 /daily setup 开启。",
	"Give a time zone such as Europe/Berlin or Asia/Shanghai, or server to count your days in the server's zone.":                                          "请给出时区，例如 Asia/Shanghai 或 Europe/Berlin；或填 server，按服务器的时区计算你的每一天。",
	"Give a language: en, zh or auto.":                                                                                                                     "请给出语言：en、zh 或 auto。",
	"Unknown language %s: use en, zh or auto.":                                                                                                             "未知语言 %s：请使用 en、zh 或 auto。",
	"This question session no longer exists.":                                                                                                              "这道题的会话已不存在。",
	"Only the member who asked this question, or a moderator, can close it.":                                                                               "只有提问的成员或管理员可以结束这道题。",
	"The answer to this question has already been posted.":                                                                                                 "这道题的答案已经公布。",
	"Give an IANA time zone such as Europe/Berlin, Asia/Shanghai or UTC.":                                                                                  "请给出 IANA 时区，例如 Asia/Shanghai、Europe/Berlin 或 UTC。",
	"Unknown time zone %s. Use an IANA name such as Europe/Berlin, America/New_York or Asia/Shanghai.":                                                     "未知时区 %s。请使用 IANA 名称，例如 Asia/Shanghai、Europe/Berlin 或 America/New_York。",
	"The question bank is empty.":                                                                                                                          "题库是空的。",
	"Topic %s has no questions.":                                                                                                                           "主题 %s 下没有题目。",
	"There is no other question in the bank right now.":                                                                                                    "题库中暂时没有其他题目了。",
	"There is no other question in %s right now.":                                                                                                          "%s 中暂时没有其他题目了。",
	"Nothing is due for review yet: grade a question after answering it and it will come back here.":                                                       "还没有需要复习的题目：作答后给自己打分，题目会按时回到这里。",
	"Nothing is due for review. The next review is due %s.":                                                                                                "暂无到期的复习。下次复习时间：%s。",
	"Nothing is due for review. The next review is due %s. Reviews skipped because their question left the bank: %d.":                                      "暂无到期的复习。下次复习时间：%s。因题目已不在题库中而跳过的复习：%d。",
	"Nothing is due for review: grade a question after answering it and it will come back here. Reviews skipped because their question left the bank: %d.": "暂无到期的复习：作答后给自己打分，题目会按时回到这里。因题目已不在题库中而跳过的复习：%d。",
	"The only review due is the question you were just given: answer it, or reveal its answer.":                                                            "唯一到期的复习就是刚给你的这道题：请作答，或查看答案。",
	"The only review due is the question you were just given: answer it, or reveal its answer. Reviews skipped because their question left the bank: %d.":  "唯一到期的复习就是刚给你的这道题：请作答，或查看答案。因题目已不在题库中而跳过的复习：%d。",
	"Your answer is not valid text.":                                                                                                                       "你的回答不是有效的文本。",
	"Your answer is empty. Write what you would say in the interview, then submit.":                                                                        "回答是空的。写下你在面试中会怎么说，然后提交。",
	"Your answer is %d characters; the limit is %d.":                                                                                                       "你的回答有 %d 个字符，上限是 %d。",
	"This question session no longer exists. Ask for a new question.":                                                                                      "这道题的会话已不存在，请重新出题。",
	"Question %s was removed from the bank. Ask for a new question.":                                                                                       "题目 %s 已从题库中移除，请重新出题。",
	"Unknown grade %s: use again, hard, good or easy.":                                                                                                     "未知评分 %s：请使用 again、hard、good 或 easy。",
	"Answer this question (or reveal its answer) before grading it.":                                                                                       "请先作答（或查看答案）再打分。",
	"You already graded this question as %s.":                                                                                                              "你已经给这道题打过分了（%s）。",

	// Hints, the checklist and retention (issue 14).
	"The reference answer is already shown: hints are for before you answer.":         "参考答案已经显示：提示只能在作答前使用。",
	"No more hints: %d of %d key points are shown. Answer now, or reveal the answer.": "没有更多提示了：已显示 %d/%d 个要点。现在作答，或查看答案。",
	"Give a retention from %d%% to %d%% (e.g. 0.9 or 90%%), or default for %d%%.":     "请给出 %d%% 到 %d%% 之间的记忆率（例如 0.9 或 90%%），或填 default 恢复为 %d%%。",
	"Key point %s does not exist.": "要点 %s 不存在。",
	"Retention %s is not a number: give a share from %.2f to %.2f (e.g. 0.9 or 90%%), or default.":                                    "记忆率 %s 不是数字：请给出 %.2f 到 %.2f 之间的比例（例如 0.9 或 90%%），或 default。",
	"Retention must be from %d%% to %d%% (you gave %s): higher means more reviews, lower means forgetting more. The default is %d%%.": "记忆率必须在 %d%% 到 %d%% 之间（你给的是 %s）：越高复习越多，越低忘得越多。默认是 %d%%。",
	// Mock interviews, the champion role and the recap (issue 15).
	"A mock interview lasts %d to %d minutes; you asked for %d.":                                                         "模拟面试时长为 %d 到 %d 分钟；你设置的是 %d。",
	"Choose another member as your partner: you cannot interview yourself.":                                              "请选择另一位成员作为搭档：不能自己面试自己。",
	"Choose a member as your partner, not a bot.":                                                                        "请选择一位成员作为搭档，而不是机器人。",
	"Time is up: this mock interview has ended. Your report is ready.":                                                   "时间到：这场模拟面试已结束，报告已生成。",
	"This mock interview is over: see its report.":                                                                       "这场模拟面试已结束：请查看报告。",
	"The report is not ready yet: finish or end the mock interview first.":                                               "报告还没生成：请先完成或结束模拟面试。",
	"Only the two members of this mock interview can do this.":                                                           "只有这场模拟面试的两位成员可以这样做。",
	"The interviewer has not revealed the first question yet.":                                                           "面试官还没有公布第一道题。",
	"In a solo mock interview the next question comes when you answer.":                                                  "单人模拟面试中，作答后会自动出下一题。",
	"Only the interviewer reveals the next question.":                                                                    "只有面试官可以公布下一题。",
	"Only the candidate answers in a mock interview.":                                                                    "模拟面试中只有候选人作答。",
	"In a pair mock interview only the interviewer gives hints.":                                                         "双人模拟面试中只有面试官可以给提示。",
	"In a pair mock interview the interviewer scores the answers.":                                                       "双人模拟面试中由面试官评分。",
	"Hints are for before the answer: this question is answered.":                                                        "提示只能在作答前使用：这道题已经答过了。",
	"No more hints for this question: answer it now.":                                                                    "这道题没有更多提示了：请现在作答。",
	"Unknown mock interview action.":                                                                                     "未知的模拟面试操作。",
	"There is no question %d in this mock interview.":                                                                    "这场模拟面试没有第 %d 题。",
	"Question %d was not answered: there is nothing to grade.":                                                           "第 %d 题没有作答：无法评分。",
	"Question %d is already graded (%s).":                                                                                "第 %d 题已经评过分了（%s）。",
	"Key point %d does not exist: this question has %d.":                                                                 "要点 %d 不存在：这道题有 %d 个要点。",
	"Your partner is in another mock interview right now.":                                                               "你的搭档正在进行另一场模拟面试。",
	"You already have a mock interview in progress: continue it with /mock resume, or end it first.":                     "你已有一场进行中的模拟面试：用 /mock resume 继续，或先结束它。",
	"You have no mock interview in progress. Start one with /mock start.":                                                "你没有进行中的模拟面试。用 /mock start 开始一场。",
	"This mock interview no longer exists.":                                                                              "这场模拟面试已不存在。",
	"I need the Manage Roles permission to give the champion role. Grant it to my role, then try again.":                 "我需要“管理角色”权限才能授予冠军角色。请给我的角色授予该权限后重试。",
	"The champion role must be below my highest role: move my role above it in Server Settings → Roles, then try again.": "冠军角色必须低于我的最高角色：请在 服务器设置 → 角色 中把我的角色移到它上方，然后重试。",
	"That role is managed by an integration and cannot be given by hand. Choose another role.":                           "该角色由集成管理，无法手动授予。请选择其他角色。",
	"@everyone cannot be the champion role. Choose another role.":                                                        "@everyone 不能作为冠军角色。请选择其他角色。",
	// The Discord adapter's mock and champion messages (issue 15).
	"Only the interviewer sees the script.": "只有面试官可以查看脚本。",
	"Start a pair mock interview in a text channel, not in a thread: the bot opens a private thread for the two of you.":                                                                                     "请在文字频道中（而不是子区中）开始双人模拟面试：机器人会为你们两人开一个私密子区。",
	"A pair mock interview needs a private thread, and the bot lacks %s in <#%s>. In the channel's settings → Permissions, allow them for the bot's role (or the bot), then try again. Nothing was started.": "双人模拟面试需要私密子区，但机器人在 <#%[2]s> 缺少 %[1]s 权限。请在频道设置 → 权限中为机器人的角色（或机器人）开启后重试。未开始任何面试。",
	"Discord refused to open the private thread (403): the bot needs %s in <#%s>. Nothing was started.":                                                                                                      "Discord 拒绝创建私密子区（403）：机器人需要在 <#%[2]s> 拥有 %[1]s 权限。未开始任何面试。",
	"Discord refused to change the champion role (403): the bot needs Manage Roles, and its highest role must be above the champion role.":                                                                   "Discord 拒绝更改冠军角色（403）：机器人需要“管理角色”权限，且其最高角色必须高于冠军角色。",
	"The member or the champion role no longer exists.": "该成员或冠军角色已不存在。",
	// Ownership checks on forged interactions (issue 18).
	"This question is private to the member who asked it. Ask your own with /interview.":              "这道题只属于出题的成员。用 /interview 出一道你自己的题吧。",
	"This button belongs to someone else's message. Use the command yourself.":                        "这个按钮所在的消息不属于你。请自己使用该命令。",
	"<#%d> is not a channel of this server. Choose one of this server's channels. Nothing was saved.": "<#%d> 不是本服务器的频道。请选择本服务器的频道。没有保存任何更改。",
	"<@&%d> is not a role of this server. Choose one of this server's roles. Nothing was saved.":      "<@&%d> 不是本服务器的身份组。请选择本服务器的身份组。没有保存任何更改。",
	"This button is not on this question's message.":                                                  "这个按钮不在这道题的消息上。",
	"This button is not on this mock interview's message.":                                            "这个按钮不在这场模拟面试的消息上。",
}
