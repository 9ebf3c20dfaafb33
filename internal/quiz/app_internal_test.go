package quiz

import (
	"reflect"
	"testing"
)

// TestTypesStaySmall: no type of the package offers more than 15 methods, so each adapter's
// interface names a few.
func TestTypesStaySmall(t *testing.T) {
	for _, v := range []any{(*App)(nil), (*Practice)(nil), (*Members)(nil), (*DailyPosts)(nil), (*Moderation)(nil), (*Mocks)(nil), (*Awards)(nil),
		(*GuildTx)(nil), (*MemberTx)(nil), (*SessionTx)(nil), (*DailyTx)(nil), (*BankTx)(nil), (*ReportTx)(nil),
		(*MockTx)(nil), (*AwardTx)(nil), (*Store)(nil), (*Publisher)(nil), (*Announcer)(nil), (*BankCodec)(nil), (*Bank)(nil)} {
		typ := reflect.TypeOf(v)
		if typ.Elem().Kind() == reflect.Interface {
			typ = typ.Elem()
		}
		if n := typ.NumMethod(); n > 15 {
			t.Errorf("%v has %d methods; keep it at 15 or fewer", typ, n)
		}
	}
}
