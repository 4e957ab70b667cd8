//! The check engine, end to end against the fake bulb service in virtual time.

mod engine {
    mod support;

    mod classic;
    mod errors;
    mod host;
    mod limits;
    mod poll;
    mod report;
    mod trace;
}
