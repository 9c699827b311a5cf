def test_world_builds(world):
    assert world.city.subtree().count() == 4
    assert set(world.users) >= {"admin", "staff", "unit", "deputy"}


def test_workbench_for_each_role(world, client_for):
    for role in ("admin", "staff", "director", "member", "deputy", "unit", "county_staff"):
        response = client_for(role).get("/work/")
        assert response.status_code == 200, role
        assert "工作台" in response.content.decode()
