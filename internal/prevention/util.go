package prevention

import (
	"errors"
	"slices"
	"strconv"

	"gongshang/internal/errs"
)

func asErr(err error, e **errs.Error) bool { return errors.As(err, e) }

func contains(xs []string, x string) bool { return slices.Contains(xs, x) }

func itoa(n int) string { return strconv.Itoa(n) }
