fn main() -> std::process::ExitCode {
    benkan::cli::executer()
}
