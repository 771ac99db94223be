package supervision

type index struct{}
