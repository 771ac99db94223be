package main

import "gongshang/internal/errs"

// The JSON shapes the API tests of this package send and read.
type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type passwordInput struct {
	Password string `json:"password"`
}

type apiError struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  []errs.FieldError `json:"fields"`
	} `json:"error"`
}
