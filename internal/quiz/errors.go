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
	"This question is private to the member who asked it. Ask your own with /interview.":                                                                   "这道题只属于出题的成员。用 /interview 出一道你自己的题吧。",
	"This button belongs to someone else's message. Use the command yourself.":                                                                             "这个按钮所在的消息不属于你。请自己使用该命令。",
	"<#%d> is not a channel of this server. Choose one of this server's channels. Nothing was saved.":                                                      "<#%d> 不是本服务器的频道。请选择本服务器的频道。没有保存任何更改。",
	"<@&%d> is not a role of this server. Choose one of this server's roles. Nothing was saved.":                                                           "<@&%d> 不是本服务器的身份组。请选择本服务器的身份组。没有保存任何更改。",
	"This button is not on this question's message.":                                                                                                       "这个按钮不在这道题的消息上。",
}
