package cwlens

// JoinScalarArrays lets the external tests build the encoding the streaming
// writer must equal: the whole snapshot indented at once, arrays joined.
var JoinScalarArrays = joinScalarArrays
