package demo

import "gongshang/internal/access"

// DemoPassword is the password of every demo user.
const DemoPassword = "gongshang-demo"

// userRegion is where a group of demo users works.
type userRegion struct {
	Code, Name, Prefix string
	People             []string // display names, one per role in access.Roles order
}

var userRegions = []userRegion{
	{"370800", "济宁市", "jn", []string{"王晓燕", "李建国", "张敏", "刘海涛", "孙丽华", "陈志刚", "杨婷", "赵磊", "徐文军", "蒋慧"}},
	{"370811", "任城区", "rc", []string{"高静", "马俊杰", "朱红梅", "胡斌", "郭秀英", "周鹏", "宋佳怡", "吴强", "郑春雨", "白雪松"}},
	{"370881", "曲阜市", "qf", []string{"孔令华", "颜晓东", "孔秀兰", "韩明", "冯雪", "田志勇", "孔婷婷", "董浩", "曹立新", "孟庆国"}},
}

// Users returns one staff user per role in the city and in two counties,
// 任城区 and 曲阜市: jn-clerk, rc-clerk, qf-clerk and so on.
func Users() []access.NewUser {
	var out []access.NewUser
	for _, r := range userRegions {
		for i, role := range access.Roles {
			out = append(out, access.NewUser{
				Username:    r.Prefix + "-" + string(role),
				DisplayName: displayName(r, i),
				Role:        role,
				RegionCode:  r.Code,
				Password:    DemoPassword,
			})
		}
	}
	// A second benefits officer at the city, so that every county's benefit
	// decisions can be computed by one officer and approved by another.
	out = append(out, access.NewUser{Username: "jn-approver", DisplayName: "沈建华", Role: access.RoleBenefits, RegionCode: "370800", Password: DemoPassword})
	// A second fund auditor at the city: a field finding's collective review
	// is made by someone other than its recorder.
	out = append(out, access.NewUser{Username: "jn-auditor2", DisplayName: "韩立新", Role: access.RoleAuditor, RegionCode: "370800", Password: DemoPassword})
	return out
}

// displayName falls back to a role label should roles outnumber names.
func displayName(r userRegion, i int) string {
	if i < len(r.People) {
		return r.People[i]
	}
	return r.Name + access.Roles[i].Name()
}

// Login is a demo account as printed at start-up.
type Login struct {
	Username string
	Role     string // Chinese role name
	Region   string // Chinese region name
}

// Logins lists the demo accounts, in the order of Users.
func Logins() []Login {
	names := map[string]string{}
	for _, r := range userRegions {
		names[r.Code] = r.Name
	}
	names["370800"] = "济宁市"
	us := Users()
	out := make([]Login, len(us))
	for i, u := range us {
		out[i] = Login{Username: u.Username, Role: u.Role.Name(), Region: names[u.RegionCode]}
	}
	return out
}
