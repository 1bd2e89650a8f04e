fn main() {
    command_center::start();
}
