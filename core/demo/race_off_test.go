//go:build !race

package demo_test

const raceOn = false
