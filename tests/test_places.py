"""Places: adcodes table, province prefixes in the text, the gazetteer for names no table settles."""
import pytest


@pytest.mark.parametrize("name, province, city, region", [
    ("中关村科学城", "北京", "北京", "东部"),
    ("陕西航空经开区", "陕西", "西安", "西部"),
    ("杭州湾上虞经开区", "浙江", "绍兴", "东部"),
    ("靖江经开区", "江苏", "泰州", "东部"),
    ("东丽经开区", "天津", "天津", "东部"),
    ("阿拉尔经开区", "新疆", "阿拉尔", "西部"),
    ("长丰（双凤）经开区", "安徽", "合肥", "中部"),
    ("哈尔滨新区", "黑龙江", "哈尔滨", "东北"),
    ("银川经开区", "宁夏", "银川", "西部"),
])
def test_park_places(tables, name, province, city, region):
    park = next(p for p in tables["parks"] if p["name"] == name)
    assert (park["province"], park["city"], park["region"]) == (province, city, region)
    assert park["lat"] and park["lon"]


def test_county_coordinates_for_a_county_park(tables):
    # 东丽 is a district of Tianjin: the park sits on the district, not the city centre
    park = next(p for p in tables["parks"] if p["name"] == "东丽经开区")
    assert (park["lat"], park["lon"]) == ("39.086802", "117.31362")


def test_place_table_prefers_cities_and_province_prefixes():
    from loaders.extract.places import table
    assert table().resolve(["大同"]).name == "大同市"
    assert table().resolve(["江苏", "靖江"]).city == "泰州"
    assert table().resolve(["嘉兴", "秀洲"]).name == "秀洲区"
